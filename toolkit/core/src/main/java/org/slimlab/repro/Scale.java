package org.slimlab.repro;

/** How big a reproduction runs: SMOKE for tests (seconds), QUICK for the main job (minutes), FULL for METHODS.md. */
public enum Scale {
    SMOKE, QUICK, FULL;

    /** From a name or the {@code SLIMLAB_SCALE} environment variable ({@code quick} when unset). */
    public static Scale of(String name) {
        return name == null || name.isBlank() ? QUICK : valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }

    /** The scale notebooks run at: {@code SLIMLAB_SCALE}, default QUICK. */
    public static Scale fromEnvironment() { return of(System.getenv("SLIMLAB_SCALE")); }

    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
}
