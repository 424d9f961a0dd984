package dev.keyline.rotation.service;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.keyline.keys.Fingerprints;
import dev.keyline.keys.PrivateKeys;
import dev.keyline.keys.PublicKeys;
import dev.keyline.rotation.ConnectionInfo;
import dev.keyline.rotation.ConnectionPort;
import dev.keyline.rotation.ConnectionServiceException;
import dev.keyline.rotation.KeyHolder;
import dev.keyline.rotation.SlotsView;

/**
 * connection-service and one Snowflake user in memory: two slots and the stored key of the
 * connection being rotated ({@link #id}) and of any other connection of the same user
 * ({@link #addHolder}), with the same refusals as the real one (never replace or unset a slot
 * holding a key a connection stores; a swap logs in first, so the new key must be registered;
 * compare-and-set on the credential version and on what a slot holds).
 */
class FakeConnectionService implements ConnectionPort {

    final UUID id = UUID.randomUUID();
    String slot1;
    String slot2;
    String stored;
    int credentialVersion = 1;
    final List<String> calls = new ArrayList<>();
    /** How each login (candidate check, swap) was handed the private key: "encrypted", "plain" or "other". */
    final List<String> handedOver = new ArrayList<>();
    final Faults faults;
    /** Set: once a call of that name has answered, the rotated connection is deleted (every later call: 404). */
    String deleteAfter;
    boolean deleted;

    /** The other connections of the same user, in the order connection-service lists them. */
    final Map<UUID, Holder> others = new LinkedHashMap<>();

    /** Another connection of the user. {@code refuseSwaps}: its logins with a new key fail (say, its role was revoked). */
    static final class Holder {
        final String name;
        String stored;
        int credentialVersion = 1;
        boolean refuseSwaps;

        Holder(String name, String stored) {
            this.name = name;
            this.stored = stored;
        }
    }

    /** A further connection of the same user, storing the same key as the rotated one now. */
    Holder addHolder(String name) {
        Holder h = new Holder(name, stored);
        others.put(UUID.randomUUID(), h);
        return h;
    }

    UUID idOf(Holder h) {
        return others.entrySet().stream().filter(e -> e.getValue() == h).findFirst().orElseThrow().getKey();
    }

    FakeConnectionService(Faults faults, String initialStored) {
        this.faults = faults;
        this.stored = initialStored;
        this.slot1 = initialStored;
    }

    @Override
    public ConnectionInfo connection(UUID connectionId) {
        return faults.around("connection", () -> gone(connectionId, "connection", () -> new ConnectionInfo(id, "snowflake", "acme", "SVC", "key-pair", stored,
                credentialVersion)));
    }

    @Override
    public SlotsView keySlots(UUID connectionId) {
        return faults.around("keySlots", () -> gone(connectionId, "keySlots", () -> new SlotsView(stored, credentialVersion, slot1, slot2)));
    }

    @Override
    public List<KeyHolder> keyHolders(UUID connectionId) {
        return faults.around("keyHolders", () -> gone(connectionId, "keyHolders", () -> {
            List<KeyHolder> all = new ArrayList<>();
            all.add(new KeyHolder(id, "rotated", stored, credentialVersion));
            others.forEach((oid, h) -> all.add(new KeyHolder(oid, h.name, h.stored, h.credentialVersion)));
            return all;
        }));
    }

    /** As connection-service: the rotated connection's stored key, then any other holder's. */
    private void requireNotHeld(String leaving) {
        if (leaving == null) {
            return;
        }
        if (leaving.equals(stored)) {
            throw new ConnectionServiceException(409, "urn:keyline:problem:slot-holds-stored-key", "holds stored key");
        }
        if (others.values().stream().anyMatch(h -> leaving.equals(h.stored))) {
            throw new ConnectionServiceException(409, "urn:keyline:problem:key-in-use", "another connection stores it");
        }
    }

    @Override
    public SlotsView setKeySlot(UUID connectionId, int slot, String publicKeyPem, String expectedFingerprint) {
        return faults.around("setKeySlot", () -> gone(connectionId, "setKeySlot", () -> {
            String fp = Fingerprints.spkiSha256(PublicKeys.parse(publicKeyPem));
            String current = fp(slot);
            requireHolds(slot, expectedFingerprint);
            if (!fp.equals(current)) {
                requireNotHeld(current);
            }
            set(slot, fp);
            return new SlotsView(stored, credentialVersion, slot1, slot2);
        }));
    }

    @Override
    public void unsetKeySlot(UUID connectionId, int slot, String expectedFingerprint) {
        faults.around("unsetKeySlot", () -> gone(connectionId, "unsetKeySlot", () -> {
            requireHolds(slot, expectedFingerprint);
            requireNotHeld(fp(slot));
            set(slot, null);
            return null;
        }));
    }

    /** The slot's compare-and-set, checked first as connection-service does: 409 key-slot-changed. */
    private void requireHolds(int slot, String expected) {
        if (!java.util.Objects.equals(expected, fp(slot))) {
            throw new ConnectionServiceException(409, "urn:keyline:problem:key-slot-changed",
                    "Slot " + slot + " holds " + fp(slot) + ", not " + expected);
        }
    }

    @Override
    public void checkKey(UUID connectionId, String privateKeyPem, String passphrase) {
        faults.around("checkKey", () -> gone(connectionId, "checkKey", () -> {
            login(privateKeyPem, passphrase);
            return null;
        }));
    }

    /** Snowflake's verdict: the key's public half must be in a slot. */
    private String login(String privateKeyPem, String passphrase) {
        handedOver.add(privateKeyPem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----") && passphrase != null
                ? "encrypted" : privateKeyPem.startsWith("-----BEGIN PRIVATE KEY-----") && passphrase == null ? "plain" : "other");
        PublicKey pub = PrivateKeys.parse(privateKeyPem, passphrase == null ? null : passphrase.toCharArray()).publicKey();
        String fp = Fingerprints.spkiSha256(pub);
        if (!fp.equals(slot1) && !fp.equals(slot2)) {
            throw new ConnectionServiceException(422, "urn:keyline:problem:credential-login-failed", "390144");
        }
        return fp;
    }

    @Override
    public void swapCredentials(UUID connectionId, String privateKeyPem, String passphrase, int expected) {
        faults.around("swapCredentials", () -> gone(connectionId, "swapCredentials", () -> {
            if (!connectionId.equals(id)) {
                Holder h = others.get(connectionId);
                if (expected != h.credentialVersion) {
                    throw new ConnectionServiceException(409, "urn:keyline:problem:stale-credential-version", "stale");
                }
                if (h.refuseSwaps) {
                    throw new ConnectionServiceException(422, "urn:keyline:problem:credential-login-failed",
                            "Login with the new key failed: 390189 role not granted");
                }
                h.stored = login(privateKeyPem, passphrase);
                h.credentialVersion++;
                return null;
            }
            if (expected != credentialVersion) {
                throw new ConnectionServiceException(409, "urn:keyline:problem:stale-credential-version", "stale");
            }
            stored = login(privateKeyPem, passphrase);
            credentialVersion++;
            return null;
        }));
    }

    String fp(int slot) {
        return slot == 1 ? slot1 : slot2;
    }

    void set(int slot, String fp) {
        if (slot == 1) {
            slot1 = fp;
        } else {
            slot2 = fp;
        }
    }

    /**
     * connection-service after the rotated connection was deleted: 404 for it, as the real one answers
     * ({@link #deleteAfter} names the call after which that happens).
     */
    private <T> T gone(UUID connectionId, String op, java.util.function.Supplier<T> call) {
        if (deleted && id.equals(connectionId)) {
            throw new ConnectionServiceException(404, "urn:keyline:problem:not-found", "Connection " + id + " does not exist");
        }
        T answer = call.get();
        if (op.equals(deleteAfter)) {
            deleted = true;
        }
        return answer;
    }

    /**
     * The architecture's invariant: every connection's stored key matches a registered slot (a deleted
     * connection stores none).
     */
    boolean invariantHolds() {
        return (deleted || registered(stored)) && others.values().stream().allMatch(h -> registered(h.stored));
    }

    private boolean registered(String fp) {
        return fp != null && (fp.equals(slot1) || fp.equals(slot2));
    }
}
