package org.slimlab.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * How a run records its config: pretty JSON with sorted keys, and a 12-hex SHA-256 hash of it, so equal configs
 * get equal hashes whichever loop (the trainer's or a method's own) ran them.
 */
public final class RunConfig {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private RunConfig() {}

    /** The config as JSON (what a run records). */
    public static String json(Map<String, Object> config) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first 12 hex digits of the SHA-256 of the compact JSON. */
    public static String hash(Map<String, Object> config) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsString(config).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
