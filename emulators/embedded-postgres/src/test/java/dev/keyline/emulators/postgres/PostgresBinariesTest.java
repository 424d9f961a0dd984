package dev.keyline.emulators.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresBinariesTest {

  @Test
  void theNewestInstalledVersionWins(@TempDir Path root) throws IOException {
    fakeInstall(root, "9.6");
    fakeInstall(root, "15");
    fakeInstall(root, "16");
    Files.createDirectories(root.resolve("17/bin"));

    assertThat(PostgresBinaries.newestDebianInstall(root)).contains(root.resolve("16/bin"));
  }

  @Test
  void versionsCompareNumerically() {
    assertThat(PostgresBinaries.compareVersions("9.6", "15")).isNegative();
    assertThat(PostgresBinaries.compareVersions("16", "15")).isPositive();
    assertThat(PostgresBinaries.compareVersions("15", "15")).isZero();
  }

  @Test
  void anExplicitDirectoryMustHoldThePrograms(@TempDir Path empty) {
    assertThatThrownBy(() -> PostgresBinaries.in(empty))
        .isInstanceOf(EmbeddedPostgresException.class)
        .hasMessageContaining("initdb");
  }

  @Test
  void thisMachineHasServerBinaries() {
    PostgresBinaries binaries = PostgresBinaries.locate();

    assertThat(binaries.program("pg_ctl")).isExecutable();
  }

  private static void fakeInstall(Path root, String version) throws IOException {
    Path bin = Files.createDirectories(root.resolve(version).resolve("bin"));
    for (String program : new String[] {"initdb", "pg_ctl", "postgres", "psql"}) {
      Files.createFile(
          bin.resolve(program), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }
  }
}
