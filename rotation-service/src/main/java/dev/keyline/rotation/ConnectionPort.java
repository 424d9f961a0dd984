package dev.keyline.rotation;

import java.util.List;
import java.util.UUID;

/**
 * Everything rotation does to Snowflake and to the stored credential, all through
 * connection-service. Failures are {@link ConnectionServiceException}s: {@code transientFailure()}
 * ones may be retried, the others say what the service refused.
 */
public interface ConnectionPort {

    ConnectionInfo connection(UUID connectionId);

    SlotsView keySlots(UUID connectionId);

    /**
     * Every managed connection of the same Snowflake (account, user) as this one, itself included,
     * with the key each stores: the ones a rotation of the user must move to the new key.
     */
    List<KeyHolder> keyHolders(UUID connectionId);

    /**
     * Sets the slot only while it holds {@code expectedFingerprint} ({@code null}: only while it is
     * empty), a compare-and-set connection-service checks under the user's lock; otherwise a
     * non-transient failure of type {@link ConnectionServiceException#KEY_SLOT_CHANGED} and nothing
     * changed.
     *
     * @return the slots as connection-service's DESC USER shows them after the change
     */
    SlotsView setKeySlot(UUID connectionId, int slot, String publicKeyPem, String expectedFingerprint);

    /** Unsets the slot only while it holds {@code expectedFingerprint}, as for {@link #setKeySlot}. */
    void unsetKeySlot(UUID connectionId, int slot, String expectedFingerprint);

    /**
     * Logs in as the connection's user with a key that is not stored (nothing changes); a rejected
     * key is a non-transient failure (422 credential-login-failed).
     */
    void checkKey(UUID connectionId, String privateKeyPem, String passphrase);

    /** Logs in with the new key, then stores it if the credential version still matches. */
    void swapCredentials(UUID connectionId, String privateKeyPem, String passphrase, int expectedCredentialVersion);
}
