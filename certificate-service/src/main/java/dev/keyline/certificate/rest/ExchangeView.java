package dev.keyline.certificate.rest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.keyline.certificate.egress.ExchangeResult;
import dev.keyline.certificate.egress.HttpHeader;

/** What the remote server answered, how the TLS session looked, and how long it took. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExchangeView(int status, String reason, List<HttpHeader> headers, String body, String bodyBase64,
        boolean truncated, String tlsProtocol, String cipherSuite, String remoteAddress, String matchedRule,
        ExchangeResult.Timing timing) {

    public static ExchangeView of(ExchangeResult r, String matchedRule) {
        String text = utf8(r.body());
        return new ExchangeView(r.status(), r.reason(), r.headers(), text,
                text == null ? Base64.getEncoder().encodeToString(r.body()) : null, r.truncated(), r.tlsProtocol(),
                r.cipherSuite(), r.remoteAddress(), matchedRule, r.timing());
    }

    /** Text bodies come back as text; anything that is not valid UTF-8 as base64. */
    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
