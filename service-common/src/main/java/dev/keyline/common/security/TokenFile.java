package dev.keyline.common.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * A token kept in a file by the platform (a Kubernetes projected service-account token). The kubelet
 * swaps the file before the token expires, so it is re-read whenever its modification time changes;
 * otherwise the last read is reused.
 */
public final class TokenFile {

    private final Path path;
    private FileTime readAt;
    private String token;

    public TokenFile(Path path) {
        this.path = path;
    }

    public synchronized String token() {
        try {
            FileTime modified = Files.getLastModifiedTime(path);
            if (token == null || !modified.equals(readAt)) {
                String read = Files.readString(path).strip();
                if (read.isEmpty()) {
                    throw new ServiceTokenUnavailableException("service token file " + path + " is empty");
                }
                token = read;
                readAt = modified;
            }
            return token;
        } catch (IOException e) {
            throw new ServiceTokenUnavailableException(
                    "service token file " + path + " cannot be read (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
