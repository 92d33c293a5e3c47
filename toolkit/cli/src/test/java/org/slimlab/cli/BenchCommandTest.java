package org.slimlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The pure parts of {@code slimlab bench}: options, the PyTorch JSON, the ratio table, the output path. Nothing is timed. */
class BenchCommandTest {

    private static BenchCommand parse(String... args) {
        BenchCommand c = new BenchCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void defaultsAreTheIssuesProtocol() {
        BenchCommand c = parse();
        assertThat(c.models).containsExactly("small-cnn", "resnet20");
        assertThat(c.images).isEqualTo(60000);
        assertThat(c.batch).isEqualTo(128);
        assertThat(c.inferBatch).isEqualTo(500);
        assertThat(c.torchThreads).isEqualTo(2);
        assertThat(c.python).isEqualTo("/usr/bin/python3");
        assertThat(c.noTorch).isFalse();
        assertThat(BenchCommand.csvPath(c.out)).isEqualTo(Path.of("results", "bench", "bench.csv"));
    }

    @Test
    void parsesOptions() {
        BenchCommand c = parse("--models", "resnet20", "--images", "6400", "--batch", "256", "--no-torch", "--out", "/tmp/x.csv");
        assertThat(c.models).containsExactly("resnet20");
        assertThat(c.images).isEqualTo(6400);
        assertThat(c.batch).isEqualTo(256);
        assertThat(c.noTorch).isTrue();
        assertThat(BenchCommand.csvPath(c.out)).isEqualTo(Path.of("/tmp/x.csv"));
        assertThat(BenchCommand.csvPath(Path.of("docs"))).isEqualTo(Path.of("docs", "bench.csv"));
        c = parse("--models", "small-cnn,resnet20");
        assertThat(c.models).containsExactly("small-cnn", "resnet20");
    }

    @Test
    void rejectsModelsWithoutAPyTorchTwinAndBadSizes() {
        assertThatThrownBy(() -> parse("--models", "vgg16").validate()).hasMessageContaining("vgg16");
        assertThatThrownBy(() -> parse("--images", "0").validate()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void torchCommandPassesTheSameProtocol() {
        List<String> cmd = parse("--images", "1000").torchCommand(Path.of("/tmp/s.py"), "resnet20");
        assertThat(cmd.get(0)).isEqualTo("/usr/bin/python3");
        assertThat(String.join(" ", cmd)).contains("--models resnet20", "--images 1000", "--batch 128", "--infer-batch 500",
                "--threads 2", "--lr 0.05");
    }

    @Test
    void ratioTableComparesTimePerImage() throws Exception {
        var json = new ObjectMapper().readTree("{\"torch\":\"1.13\",\"threads\":2,\"results\":[{\"model\":\"small-cnn\","
                + "\"train_images\":6000,\"train_seconds\":1.5,\"infer_images\":10000,\"infer_seconds\":0.5}]}");
        List<BenchCommand.Measure> torch = BenchCommand.parseTorch(json);
        assertThat(torch).containsExactly(new BenchCommand.Measure("small-cnn", "train", 6000, 1.5),
                new BenchCommand.Measure("small-cnn", "inference", 10000, 0.5));
        List<BenchCommand.Measure> slim = List.of(new BenchCommand.Measure("small-cnn", "train", 6000, 3.0),
                new BenchCommand.Measure("small-cnn", "inference", 10000, 2.0),
                new BenchCommand.Measure("resnet20", "train", 6000, 30.0));
        Table t = BenchCommand.ratioTable(slim, torch, 60000);
        assertThat(t.rowCount()).isEqualTo(3);
        assertThat(t.doubleColumn("ratio").get(0)).isCloseTo(2.0, within(1e-9));
        assertThat(t.doubleColumn("ratio").get(1)).isCloseTo(4.0, within(1e-9));
        assertThat(t.doubleColumn("slimlab_s_per_60k").get(0)).isCloseTo(30.0, within(1e-9));
        assertThat(t.doubleColumn("torch_s_per_60k").get(0)).isCloseTo(15.0, within(1e-9));
        assertThat(t.doubleColumn("slimlab_img_per_s").get(0)).isCloseTo(2000.0, within(1e-9));
        assertThat(t.doubleColumn("ratio").isMissing(2)).isTrue();   // no PyTorch number for resnet20
    }

    @Test
    void torchScriptIsPackaged() throws Exception {
        String s = new String(BenchCommand.torchScript(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(s).contains("torch.set_num_threads", "def resnet20", "def small_cnn");
    }
}
