package dev.keyline.bench.floor;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** One entity, so Hibernate boots a real persistence unit the way the services' do. */
@Entity
@Table(name = "floor_item")
public class Item extends PanacheEntity {
    public String name;
}
