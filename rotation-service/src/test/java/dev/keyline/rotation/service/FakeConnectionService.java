package dev.keyline.rotation.service;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.keyline.keys.Fingerprints;
import dev.keyline.keys.PrivateKeys;
import dev.keyline.keys.PublicKeys;
import dev.keyline.rotation.ConnectionInfo;
import dev.keyline.rotation.ConnectionPort;
import dev.keyline.rotation.ConnectionServiceException;
import dev.keyline.rotation.SlotsView;

/**
 * connection-service and one Snowflake user in memory: two slots and the stored key, with the
 * same refusals as the real one (never replace or unset the slot holding the stored key; a swap
 * logs in first, so the new key must be registered; compare-and-set on the credential version).
 */
class FakeConnectionService implements ConnectionPort {

    final UUID id = UUID.randomUUID();
    String slot1;
    String slot2;
    String stored;
    int credentialVersion = 1;
    final List<String> calls = new ArrayList<>();
    final Faults faults;

    FakeConnectionService(Faults faults, String initialStored) {
        this.faults = faults;
        this.stored = initialStored;
        this.slot1 = initialStored;
    }

    @Override
    public ConnectionInfo connection(UUID connectionId) {
        return faults.around("connection", () -> new ConnectionInfo(id, "snowflake", "acme", "SVC", "key-pair", stored,
                credentialVersion));
    }

    @Override
    public SlotsView keySlots(UUID connectionId) {
        return faults.around("keySlots", () -> new SlotsView(stored, credentialVersion, slot1, slot2));
    }

    @Override
    public void setKeySlot(UUID connectionId, int slot, String publicKeyPem) {
        faults.around("setKeySlot", () -> {
            String fp = Fingerprints.spkiSha256(PublicKeys.parse(publicKeyPem));
            String current = fp(slot);
            if (current != null && current.equals(stored) && !fp.equals(current)) {
                throw new ConnectionServiceException(409, "urn:keyline:problem:slot-holds-stored-key", "holds stored key");
            }
            set(slot, fp);
            return null;
        });
    }

    @Override
    public void unsetKeySlot(UUID connectionId, int slot) {
        faults.around("unsetKeySlot", () -> {
            if (stored.equals(fp(slot))) {
                throw new ConnectionServiceException(409, "urn:keyline:problem:slot-holds-stored-key", "holds stored key");
            }
            set(slot, null);
            return null;
        });
    }

    @Override
    public void checkKey(UUID connectionId, String privateKeyPem, String passphrase) {
        faults.around("checkKey", () -> {
            login(privateKeyPem, passphrase);
            return null;
        });
    }

    /** Snowflake's verdict: the key's public half must be in a slot. */
    private String login(String privateKeyPem, String passphrase) {
        PublicKey pub = PrivateKeys.parse(privateKeyPem, passphrase.toCharArray()).publicKey();
        String fp = Fingerprints.spkiSha256(pub);
        if (!fp.equals(slot1) && !fp.equals(slot2)) {
            throw new ConnectionServiceException(422, "urn:keyline:problem:credential-login-failed", "390144");
        }
        return fp;
    }

    @Override
    public void swapCredentials(UUID connectionId, String privateKeyPem, String passphrase, int expected) {
        faults.around("swapCredentials", () -> {
            if (expected != credentialVersion) {
                throw new ConnectionServiceException(409, "urn:keyline:problem:stale-credential-version", "stale");
            }
            stored = login(privateKeyPem, passphrase);
            credentialVersion++;
            return null;
        });
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

    /** The architecture's invariant: the stored key matches a registered slot. */
    boolean invariantHolds() {
        return stored != null && (stored.equals(slot1) || stored.equals(slot2));
    }
}
