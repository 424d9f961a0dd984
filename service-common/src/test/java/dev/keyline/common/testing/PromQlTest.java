package dev.keyline.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void bareSelectorsAndComparisonsWithArithmetic() {
        assertThat(PromQl.metricNames("keyline_certificate_expiry_seconds < 14*24*3600"))
                .containsExactly("keyline_certificate_expiry_seconds");
        assertThat(PromQl.metricNames("up == 0")).containsExactly("up");
    }

    @Test
    void labelMatchersRangesAndLabelListsAreNotMetrics() {
        assertThat(PromQl.metricNames("""
                sum by (namespace, job) (rate(http_server_requests_seconds_count{job=~"a|b", status=~"5.."}[5m]))
                  / sum without (pod) (rate(http_server_requests_seconds_count[5m] offset 1h)) > bool 0.05
                """)).containsExactly("http_server_requests_seconds_count");
        assertThat(PromQl.metricNames("a_total / on (job) group_left (team) b_info"))
                .containsExactly("a_total", "b_info");
    }

    @Test
    void functionsKeywordsNumbersAndStringsAreSkipped() {
        assertThat(PromQl.metricNames("""
                min by (certificate_id) (x_seconds) < 1e3 and max(y_seconds) > 0x1f
                  or vector(0) unless label_replace(z, "dst", "$1", "src", "(.*)")
                """)).containsExactly("x_seconds", "y_seconds", "z");
        assertThat(PromQl.metricNames("histogram_quantile(0.95, sum by (le) (rate(h_bucket[$__rate_interval])))"))
                .containsExactly("h_bucket");
    }

    @Test
    void grafanaVariablesAndLabelValuesQueries() {
        assertThat(PromQl.metricNames("sum(m{namespace=~\"$namespace\"}) / ${divisor}")).containsExactly("m");
        assertThat(PromQl.metricNames("label_values(up{job=~\"a|b\"}, namespace)")).containsExactly("up");
    }

    @Test
    void colonsInRecordingRuleNames() {
        assertThat(PromQl.metricNames("job:requests:rate5m > 3")).containsExactly("job:requests:rate5m");
    }
}
