package dev.keyline.certificate.rest;

import java.time.Instant;

import dev.keyline.certificate.persistence.CertificateConsumerEntity;

/** A registered user of a certificate: {@code id} is its id in {@code service} (a connection id). */
public record ConsumerView(String id, String name, String service, Instant registeredAt, String registeredBy) {

    static ConsumerView of(CertificateConsumerEntity c) {
        return new ConsumerView(c.consumerId, c.name, c.service, c.registeredAt, c.registeredBy);
    }
}
