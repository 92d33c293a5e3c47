package org.slimlab.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.JupyterSocket;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;

/**
 * Entry point Jupyter starts (see kernel-config/kernel.json.in):
 * {@code java -cp <toolkit classpath> org.slimlab.kernel.KernelMain <connection file>}.
 */
public final class KernelMain {

    /** The base kernel logs every socket loop start at INFO on java.util.logging's root: keep only warnings. */
    private static final java.util.logging.Logger ROOT_LOG = java.util.logging.Logger.getLogger("");

    private KernelMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) throw new IllegalArgumentException("usage: KernelMain <connection-file>");
        Path connectionFile = Path.of(args[0]);
        if (!Files.isRegularFile(connectionFile)) {
            throw new IllegalArgumentException("Connection file '" + connectionFile + "' is not a file");
        }
        JupyterSocket.JUPYTER_LOGGER.setLevel(Level.WARNING);
        ROOT_LOG.setLevel(Level.WARNING);
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(connectionFile));
        JupyterConnection connection = new JupyterConnection(props);

        SlimLabKernel kernel = new SlimLabKernel();
        kernel.install();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        System.exit(0);
    }
}
