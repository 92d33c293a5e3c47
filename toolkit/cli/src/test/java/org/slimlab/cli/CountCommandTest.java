package org.slimlab.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code slimlab count MODEL [--input CxHxW]} ends with the MACs/params line. */
class CountCommandTest {

    static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf));
        try {
            assertThat(new CommandLine(new Main()).execute(args)).isEqualTo(0);
        } finally {
            System.setOut(old);
        }
        return buf.toString();
    }

    @Test
    void resnet18PrintsTheTorchvisionCounts() {
        String out = run("count", "resnet18");
        String last = out.strip().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(last).matches("MACs: \\d+ params: 11689512");
        assertThat(out).contains("layer4.1.body.3");
    }

    @Test
    void inputShapeChangesTheCount() {
        String out = run("count", "resnet20", "--input", "3x32x32");
        long macs = Long.parseLong(out.strip().lines().reduce((a, b) -> b).orElseThrow().split(" ")[1]);
        assertThat(macs).isBetween(40_000_000L, 41_500_000L);
    }
}
