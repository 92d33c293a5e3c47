package org.slimlab.kernel.execution;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PreloadTest {

    @Test
    void importsEveryToolkitPackageAndMakesSlimLabWinOverJdkNames(@TempDir Path dir) throws Exception {
        for (String f : List.of("org/slimlab/nn/Module.class", "org/slimlab/nn/Conv2d.class", "org/slimlab/nn/Conv2d$1.class",
                "org/slimlab/ui/Progress.class", "org/slimlab/kernel/Secret.class", "org/slimlab/Top.class")) {
            Path p = dir.resolve(f);
            Files.createDirectories(p.getParent());
            Files.write(p, new byte[0]);
        }
        List<String> s = Preload.snippets(dir.toString());
        assertThat(s).contains("import org.slimlab.nn.*;", "import org.slimlab.ui.*;", "import org.slimlab.*;",
                "import org.slimlab.nn.Module;", "import static org.slimlab.kernel.runtime.Display.*;",
                "import tech.tablesaw.api.*;", "import org.knowm.xchart.*;");
        assertThat(s).doesNotContain("import org.slimlab.kernel.*;", "import org.slimlab.nn.Conv2d;");
    }
}
