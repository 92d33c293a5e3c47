package org.slimlab.data;

/** A data set file is missing, truncated or corrupt; the message names the file and how to fix it. */
public final class DatasetException extends RuntimeException {
    public DatasetException(String message) { super(message); }
    public DatasetException(String message, Throwable cause) { super(message, cause); }
}
