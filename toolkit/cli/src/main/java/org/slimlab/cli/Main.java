package org.slimlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code slimlab} command line: reproduce, bench, count, data. The launcher script builds and calls it. */
@Command(name = "slimlab", mixinStandardHelpOptions = true, version = "SlimLab 0.1.0",
        description = "Neural-network compression research toolkit.",
        subcommands = {ReproduceCommand.class, CountCommand.class, BenchCommand.class, DataCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() { CommandLine.usage(this, System.out); }

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }
}
