package dev.keyline.rotation.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunStore;

/** The database in memory: what survives a crash is exactly what was saved. */
class InMemoryRunStore implements RunStore {

    final Map<UUID, RotationRun> runs = new HashMap<>();
    final List<String> steps = new ArrayList<>();
    /** The same rows with their detail: "REGISTER:RETRY connection-service did not answer …". */
    final List<String> stepDetails = new ArrayList<>();
    final Map<String, String> knownKeys = new HashMap<>();
    /** Audit events as "action outcome fingerprints | detail", in order. */
    final List<String> audit = new ArrayList<>();

    /** Called after every save, i.e. after every step: where a test checks an invariant. */
    Runnable afterSave = () -> {
    };

    @Override
    public void save(RotationRun run, List<StepLog> stepLog, List<AuditNote> events) {
        runs.put(run.id, run.copy());
        for (StepLog s : stepLog) {
            steps.add(s.step() + ":" + s.outcome());
            stepDetails.add(s.step() + ":" + s.outcome() + " " + s.detail());
        }
        for (AuditNote e : events) {
            audit.add(e.action() + " " + e.outcome() + " " + e.fingerprints() + " | " + e.detail());
        }
        afterSave.run();
    }

    List<String> auditActions() {
        return audit.stream().map(a -> a.substring(0, a.indexOf(' '))).toList();
    }

    RotationRun load(UUID id) {
        return runs.get(id).copy();
    }

    @Override
    public boolean isKnownKey(String account, String user, String fingerprint) {
        return knownKeys.containsKey(RunStore.caseless(account) + "/" + RunStore.caseless(user) + "/" + fingerprint);
    }

    @Override
    public void recordKey(String account, String user, String fingerprint, UUID runId, String status) {
        knownKeys.put(RunStore.caseless(account) + "/" + RunStore.caseless(user) + "/" + fingerprint, status);
    }
}
