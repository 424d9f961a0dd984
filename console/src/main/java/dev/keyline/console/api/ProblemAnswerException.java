package dev.keyline.console.api;

/** A service refused a request the page needed; the page shows the problem as the service stated it. */
public class ProblemAnswerException extends RuntimeException {

    private final String service;
    private final Problem problem;

    public ProblemAnswerException(String service, Problem problem) {
        super(service + " answered " + problem.status() + " " + problem.slug());
        this.service = service;
        this.problem = problem;
    }

    public String service() {
        return service;
    }

    public Problem problem() {
        return problem;
    }
}
