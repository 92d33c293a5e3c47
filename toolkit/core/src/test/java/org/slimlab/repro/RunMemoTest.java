package org.slimlab.repro;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimlab.results.ResultRow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RunMemoTest {

    record Piece(List<ResultRow> rows, double accuracy, Double depth) {}

    static final ResultRow ROW = new ResultRow("m", "arm@1-1-1", 2, "full", 0.8125, 123_456_789_012L, 68_642, 0.25, 1.0,
            12.5, 5, "0123456789ab", "2026-11-29T20:00:00Z", "a note, with a comma");

    @Test
    void aPieceIsWrittenOnceAndReadBackExactlyWhenReusing(@TempDir Path dir) {
        AtomicInteger computed = new AtomicInteger();
        Piece p = new Piece(List.of(ROW), 0.1 + 0.2, null);
        RunMemo.at(dir, false).get("m full arm seed1 Budget[a=1]", Piece.class, () -> { computed.incrementAndGet(); return p; });
        Piece again = RunMemo.at(dir, true).get("m full arm seed1 Budget[a=1]", Piece.class, () -> { computed.incrementAndGet(); return null; });
        assertThat(computed).hasValue(1);
        assertThat(again).isEqualTo(p);   // doubles survive bit for bit, null stays null
    }

    @Test
    void withoutReuseOrUnderAnotherKeyItRecomputes(@TempDir Path dir) {
        AtomicInteger computed = new AtomicInteger();
        RunMemo.at(dir, true).get("k budget 1", Double.class, () -> { computed.incrementAndGet(); return 1.0; });
        assertThat(RunMemo.at(dir, false).get("k budget 1", Double.class, () -> { computed.incrementAndGet(); return 2.0; })).isEqualTo(2.0);
        assertThat(RunMemo.at(dir, true).get("k budget 2", Double.class, () -> { computed.incrementAndGet(); return 3.0; })).isEqualTo(3.0);
        assertThat(computed).hasValue(3);
        assertThat(RunMemo.at(dir, true).get("k budget 1", Double.class, () -> 9.0)).isEqualTo(2.0);
    }

    @Test
    void aCorruptPieceIsRecomputedAndReplaced(@TempDir Path dir) throws Exception {
        RunMemo.at(dir, false).get("k", Double.class, () -> 1.0);
        Path file;
        try (var files = Files.list(dir)) { file = files.findFirst().orElseThrow(); }
        Files.writeString(file, "{\"key\": \"k\", \"value\": [tru");
        assertThat(RunMemo.at(dir, true).get("k", Double.class, () -> 4.0)).isEqualTo(4.0);
        assertThat(RunMemo.at(dir, true).get("k", Double.class, () -> 5.0)).isEqualTo(4.0);
    }

    @Test
    void noneKeepsNothing() {
        AtomicInteger computed = new AtomicInteger();
        RunMemo none = RunMemo.none();
        none.get("k", Double.class, () -> (double) computed.incrementAndGet());
        none.get("k", Double.class, () -> (double) computed.incrementAndGet());
        assertThat(computed).hasValue(2);
        assertThat(none.dir()).isNull();
    }

    @Test
    void fileNamesAreReadableAndDistinctForLongKeysSharingAPrefix() {
        String a = RunMemo.fileName("gkt full stochastic-depth seed1 Budget[trainImages=8000, testImages=10000, epochs=5]");
        String b = RunMemo.fileName("gkt full stochastic-depth seed1 Budget[trainImages=8000, testImages=10000, epochs=6]");
        assertThat(a).startsWith("gkt-full-stochastic-depth-seed1-").endsWith(".json").isNotEqualTo(b);
    }

    /** Kept full-scale pieces are found by this exact format: changing it would silently recompute hours of runs. */
    @Test
    void keyJoinsItsPartsWithSpaces() {
        record Budget(int epochs, int seeds) {}
        assertThat(RunMemo.key("gkt", "full", "common", "seed" + 3, new Budget(5, 3)))
                .isEqualTo("gkt full common seed3 Budget[epochs=5, seeds=3]");
    }

    @Test
    void aPiecesScratchDirectoryOutlivesAStopButNotThePieceOrAFreshRun(@TempDir Path dir) throws Exception {
        String key = "m full arm seed1 Budget[a=1]";
        assertThat(RunMemo.none().scratch(key)).isNull();
        Path scratch = RunMemo.at(dir, true).scratch(key);
        Files.createDirectories(scratch.resolve("sub"));
        Files.writeString(scratch.resolve("sub/epoch-3.zip"), "x");
        assertThat(RunMemo.at(dir, true).scratch(key)).isEqualTo(scratch).exists();          // a resumed run finds it
        assertThat(RunMemo.at(dir, true).scratch("m full arm seed2 Budget[a=1]")).isNotEqualTo(scratch);
        RunMemo.at(dir, true).get(key, Double.class, () -> 1.0);
        assertThat(scratch).doesNotExist();                                                    // the piece is kept: gone
        Files.createDirectories(scratch);
        assertThat(RunMemo.at(dir, false).scratch(key)).doesNotExist();                       // a fresh run starts fresh
    }
}
