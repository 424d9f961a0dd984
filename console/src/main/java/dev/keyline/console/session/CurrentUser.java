package dev.keyline.console.session;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/**
 * Who is signed in for this request and the token the console forwards on their behalf. Filled
 * by {@link SignInFilter}; templates read the name as {@code inject:user.name}.
 */
@RequestScoped
@Named("user")
public class CurrentUser {

    private String token;
    private String name;
    private String csrf;

    void signIn(String token, String name, String csrf) {
        this.token = token;
        this.name = name;
        this.csrf = csrf;
    }

    public boolean signedIn() {
        return token != null;
    }

    /** The bearer token to forward; never rendered. */
    public String token() {
        return token;
    }

    public String getName() {
        return name;
    }

    /** The session's CSRF token, for the hidden field of every form ({@code inject:user.csrf}). */
    public String getCsrf() {
        return csrf;
    }
}
