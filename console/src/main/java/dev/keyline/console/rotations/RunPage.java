package dev.keyline.console.rotations;

import java.util.List;

import io.quarkus.qute.TemplateData;

/** One page of rotation-service's runs ({@code {items, page, size, total}}) with the filter that chose it. */
@TemplateData
public record RunPage(List<Run> items, int page, int size, long total, RunFilter filter) {

    public boolean hasPrevious() {
        return page > 0;
    }

    public boolean hasNext() {
        return (long) (page + 1) * size < total;
    }

    public String previousUrl() {
        return filter.pageUrl(page - 1);
    }

    public String nextUrl() {
        return filter.pageUrl(page + 1);
    }

    /** 1-based numbers of the first and last run shown. */
    public long first() {
        return items.isEmpty() ? 0 : (long) page * size + 1;
    }

    public long last() {
        return (long) page * size + items.size();
    }
}
