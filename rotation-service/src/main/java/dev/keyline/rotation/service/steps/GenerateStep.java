package dev.keyline.rotation.service.steps;

import java.util.Optional;

import dev.keyline.rotation.PendingKey;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;

/**
 * GENERATE: a new RSA key (from the {@link KeyReserve} when it holds one of the run's size),
 * encrypted PKCS#8 under a random passphrase, written to Vault before Snowflake is touched. On
 * resume an existing pending key is reused: never two keys for one run. A reserved key that is taken
 * and then not stored (Vault failed, or an earlier attempt's write had landed) is simply dropped:
 * it was never registered anywhere, and the reserve never hands it out again.
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
            // A key generated ahead in idle time if the reserve has one of this size; else generation and
            // encryption, CPU work, on the bounded key pool (a full pool retries the run later).
            NewKey made = ctx.newKeys().take(run.keySize);
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
}
