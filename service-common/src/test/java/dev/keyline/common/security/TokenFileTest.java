package dev.keyline.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

    @TempDir
    Path dir;

    @Test
    void readsTheTokenAgainWhenTheKubeletReplacesTheFile() throws Exception {
        Path data1 = Files.createDirectory(dir.resolve("..data-1"));
        Files.writeString(data1.resolve("token"), "first.token.jwt\n");
        Files.setLastModifiedTime(data1.resolve("token"), FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        // The kubelet's layout: token -> ..data/token, and ..data is swapped atomically to a new directory.
        Path link = dir.resolve("..data");
        Files.createSymbolicLink(link, data1.getFileName());
        Path token = dir.resolve("token");
        Files.createSymbolicLink(token, Path.of("..data/token"));
        TokenFile file = new TokenFile(token);
        assertThat(file.token()).isEqualTo("first.token.jwt");

        Path data2 = Files.createDirectory(dir.resolve("..data-2"));
        Files.writeString(data2.resolve("token"), "second.token.jwt");
        Files.setLastModifiedTime(data2.resolve("token"), FileTime.from(Instant.parse("2026-01-01T00:48:00Z")));
        Path tmp = dir.resolve("..data_tmp");
        Files.createSymbolicLink(tmp, data2.getFileName());
        Files.move(tmp, link, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(file.token()).isEqualTo("second.token.jwt");
    }

    @Test
    void aMissingOrEmptyFileIsUnavailableWithoutContent() throws Exception {
        Path token = dir.resolve("token");
        assertThatThrownBy(() -> new TokenFile(token).token()).isInstanceOf(ServiceTokenUnavailableException.class)
                .hasMessageContaining("cannot be read");
        Files.writeString(token, "  \n");
        assertThatThrownBy(() -> new TokenFile(token).token()).isInstanceOf(ServiceTokenUnavailableException.class)
                .hasMessageContaining("is empty");
    }
}
