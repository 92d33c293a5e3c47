package org.slimlab.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Where and when a run happened: the git commit of the checkout (if any) and timestamps. */
public final class RunInfo {

    private static volatile String commit;

    private RunInfo() {}

    /** Short hash of HEAD of the SlimLab checkout, or "unknown" (read from .git, no git process). */
    public static String gitCommit() {
        if (commit == null) commit = readCommit();
        return commit;
    }

    /** Now, ISO-8601 to the second. */
    public static String now() { return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(); }

    private static String readCommit() {
        try {
            Path root = Path.of(System.getProperty("slimlab.root", ".")).toAbsolutePath();
            for (Path p = root; p != null; p = p.getParent()) {
                Path git = p.resolve(".git");
                if (!Files.isDirectory(git)) continue;
                String head = Files.readString(git.resolve("HEAD")).trim();
                if (!head.startsWith("ref: ")) return head.substring(0, Math.min(12, head.length()));
                Path ref = git.resolve(head.substring(5));
                if (Files.exists(ref)) return Files.readString(ref).trim().substring(0, 12);
                Path packed = git.resolve("packed-refs");
                if (Files.exists(packed))
                    for (String l : Files.readAllLines(packed))
                        if (l.endsWith(" " + head.substring(5))) return l.substring(0, 12);
                return "unknown";
            }
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
        return "unknown";
    }
}
