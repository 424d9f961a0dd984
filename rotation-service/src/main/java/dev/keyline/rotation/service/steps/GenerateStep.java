package dev.keyline.rotation.service.steps;

import java.security.KeyPair;
import java.util.Optional;

import dev.keyline.keys.EncryptedPkcs8;
import dev.keyline.keys.Fingerprints;
import dev.keyline.keys.Pkcs8;
import dev.keyline.keys.PublicKeys;
import dev.keyline.keys.RsaKeys;
import dev.keyline.rotation.PendingKey;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;

/**
 * GENERATE: a new RSA key, encrypted PKCS#8 under a random passphrase, written to Vault before
 * Snowflake is touched. On resume an existing pending key is reused: never two keys for one run.
 */
public class GenerateStep implements RotationStep {

    public static final String REGISTERED = "REGISTERED";

    private final StepContext ctx;

    public GenerateStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public StepResult run(RotationRun run) {
        Optional<PendingKey> existing = ctx.pendingKeys().find(run.id);
        PendingKey key;
        if (existing.isPresent()) {
            key = existing.get();
        } else {
            // Generation and encryption are CPU work: on the bounded key pool (a full pool retries the run later).
            NewKey made = ctx.keyWork().call(() -> newKey(run.keySize));
            key = made.stored();
            if (!ctx.pendingKeys().create(run.id, made.stored(), made.plain())) {
                // A previous attempt's write landed although its answer was lost: use that key.
                key = ctx.pendingKeys().find(run.id).orElseThrow(
                        () -> new IllegalStateException("pending key vanished between write and read"));
            }
        }
        ctx.store().recordKey(run.account, run.snowflakeUser, key.fingerprint(), run.id, REGISTERED);
        run.newFingerprint = key.fingerprint();
        return StepResult.next(RunState.REGISTER, key.fingerprint());
    }

    /** The key as Vault stores it (encrypted PKCS#8 and its passphrase), and as plain PKCS#8 for this execution. */
    private record NewKey(PendingKey stored, PendingKey plain) {
    }

    private NewKey newKey(int keySize) {
        KeyPair pair = RsaKeys.generate(keySize);
        char[] passphrase = EncryptedPkcs8.randomPassphrase();
        try {
            String publicKey = PublicKeys.toPem(pair.getPublic());
            String fingerprint = Fingerprints.spkiSha256(pair.getPublic());
            return new NewKey(new PendingKey(EncryptedPkcs8.write(pair.getPrivate(), passphrase, ctx.pbkdf2Iterations()),
                    new String(passphrase), publicKey, fingerprint),
                    new PendingKey(Pkcs8.toPem(pair.getPrivate()), null, publicKey, fingerprint));
        } finally {
            java.util.Arrays.fill(passphrase, '\0');
        }
    }
}
