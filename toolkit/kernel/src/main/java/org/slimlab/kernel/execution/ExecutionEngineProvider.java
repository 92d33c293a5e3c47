package org.slimlab.kernel.execution;

import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.util.Map;

/** Hands JShell the in-process {@link ExecutionEngine} and remembers it for the evaluator. */
final class ExecutionEngineProvider implements ExecutionControlProvider {

    private final long stopAfterMillis;
    private volatile ExecutionEngine engine;

    ExecutionEngineProvider(long stopAfterMillis) {
        this.stopAfterMillis = stopAfterMillis;
    }

    @Override
    public String name() {
        return "slimlab";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        engine = new ExecutionEngine(stopAfterMillis);
        return engine;
    }

    ExecutionEngine engine() {
        return engine;
    }
}
