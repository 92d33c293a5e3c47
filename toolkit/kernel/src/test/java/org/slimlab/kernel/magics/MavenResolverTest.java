package org.slimlab.kernel.magics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;

import java.io.File;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Resolves from Maven Central (skipped with SLIMLAB_NO_NETWORK=1); caches in ~/.m2 like Maven. */
@DisabledIfEnvironmentVariable(named = "SLIMLAB_NO_NETWORK", matches = "1")
class MavenResolverTest {

    final MavenResolver resolver = MavenResolver.fromEnvironment();

    static List<String> names(List<File> files) {
        return files.stream().map(File::getName).collect(Collectors.toList());
    }

    @Test
    void resolvesTransitively() throws Exception {
        List<String> jars = names(resolver.resolve(List.of("org.apache.commons:commons-text:1.10.0")));
        assertThat(jars).startsWith("commons-text-1.10.0.jar").anyMatch(n -> n.startsWith("commons-lang3-"));
    }

    @Test
    void resolvesArtifactsWithBundlePackaging() throws Exception {
        // its POM says <packaging>bundle</packaging> (the case IJava's Ivy resolver got wrong)
        List<String> jars = names(resolver.resolve(List.of("org.apache.servicemix.bundles:org.apache.servicemix.bundles.junit:4.13.2_1")));
        assertThat(jars).contains("org.apache.servicemix.bundles.junit-4.13.2_1.jar");
    }
}
