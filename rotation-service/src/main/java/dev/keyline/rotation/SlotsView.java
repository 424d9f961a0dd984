package dev.keyline.rotation;

/** Both key slots of a connection's user and the fingerprint of its stored key (connection-service's key-slots). */
public record SlotsView(String storedFingerprint, int credentialVersion, String slot1, String slot2) {

    public String fingerprint(int slot) {
        return slot == 1 ? slot1 : slot2;
    }

    /** The slot holding this fingerprint, 0 when none. */
    public int slotOf(String fingerprint) {
        if (fingerprint == null) {
            return 0;
        }
        if (fingerprint.equals(slot1)) {
            return 1;
        }
        return fingerprint.equals(slot2) ? 2 : 0;
    }

    public boolean registered(String fingerprint) {
        return slotOf(fingerprint) != 0;
    }
}
