package dev.keyline.console.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * A PEM form field that may be uploaded as a file or pasted: the file wins when one was chosen.
 * The text is passed on to the service, which parses and validates it; the console never keeps it.
 */
public final class PemField {

    /** Largest file read; the services refuse larger PEM fields anyway (64 KiB). */
    public static final long MAX_BYTES = 65536;

    private PemField() {
    }

    /**
     * The uploaded file's text, else the pasted text, else null. A file over {@link #MAX_BYTES} is
     * refused with a field error rather than read.
     */
    public static String value(FileUpload file, String pasted) throws TooLarge {
        if (file != null && file.size() > 0 && file.fileName() != null && !file.fileName().isBlank()) {
            if (file.size() > MAX_BYTES) {
                throw new TooLarge();
            }
            try {
                return Files.readString(file.uploadedFile(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read an uploaded form file", e);
            }
        }
        return pasted == null || pasted.isBlank() ? null : pasted;
    }

    /** The uploaded file is larger than any PEM field the services accept. */
    public static final class TooLarge extends Exception {
        public TooLarge() {
            super("the file is larger than " + MAX_BYTES + " bytes");
        }
    }
}
