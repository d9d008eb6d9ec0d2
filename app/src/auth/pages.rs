//! Sign in, forgotten password, set a password from a link, and the account page.
//! Every form is a plain HTML form posting to a server function, so all of them work
//! with JavaScript off; an error comes back to the same page.

use super::CurrentUser;
use super::{
    check_link, me, sign_in_choices, ChangePassword, ChooseOrganisation, RequestPasswordReset,
    SetPassword, SignIn,
};
use crate::error::AppError;
use crate::ui::{page, page_or, query_value, ErrorMessage, Notice, Typed};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let error = action.value().get_untracked().and_then(|r| r.err());
    let typed = Typed::of::<SignIn>();
    let next = typed.value("next").or_else(|| query_value("next"));
    let signed_out = query_value("signed_out").map(|_| "You have signed out.".to_string());
    view! {
        <Title text="Sign in"/>
        <div class="narrow">
            <h1>"Sign in"</h1>
            <Notice text=signed_out/>
            <ErrorMessage error/>
            <ActionForm action>
                {next.map(|n| view! { <input type="hidden" name="next" value=n/> })}
                <div class="field">
                    <label for="email">"Email"</label>
                    <input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value=typed.value("email")/>
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="128"/>
                </div>
                <button type="submit">"Sign in"</button>
            </ActionForm>
            <p><a href="/forgot-password">"Forgotten your password?"</a></p>
            <p>"A parent or carer? You do not need an account: read our "
               <a href="/safe-internet">"Safe Internet advice"</a>"."</p>
        </div>
    }
}

/// `/login/organisation`: the email and password opened accounts with more than one
/// organisation, so the person says which one to sign in to.
#[component]
pub fn ChooseOrganisationPage() -> impl IntoView {
    let action = ServerAction::<ChooseOrganisation>::new();
    let error = action.value().get_untracked().and_then(|r| r.err());
    let refused = error.is_some();
    let choices = move |choices: Vec<super::OrganisationChoice>| {
        view! {
            <p>"Your email address has an account with more than one organisation. Choose the one to sign in to."</p>
            <ul class="choices">
                {choices.into_iter().map(|choice| view! {
                    <li>
                        <ActionForm action>
                            <input type="hidden" name="account_id" value=choice.account_id.to_string()/>
                            <button type="submit">{choice.organisation}</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
        }
    };
    // A refused choice already says why (the same expiry, usually).
    let expired = move |e: AppError| {
        view! {
            <ErrorMessage error=(!refused).then_some(e)/>
            <p><a href="/login">"Sign in again"</a></p>
        }
        .into_any()
    };
    view! {
        <Title text="Choose an organisation"/>
        <div class="narrow">
            <h1>"Which organisation?"</h1>
            <ErrorMessage error/>
            {page_or(sign_in_choices, choices, expired)}
        </div>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = action.value().get_untracked().and_then(|r| r.err());
    let typed = Typed::of::<RequestPasswordReset>();
    let sent = query_value("sent").map(|_| {
        "If an account uses that email, we have sent it a link to choose a new password. \
         The link works once, for 1 hour. Check your spam folder if it does not arrive."
            .to_string()
    });
    view! {
        <Title text="Forgotten password"/>
        <div class="narrow">
            <h1>"Forgotten your password?"</h1>
            <Notice text=sent/>
            <ErrorMessage error/>
            <p>"Enter the email you sign in with. We will email you a link to choose a new password."</p>
            <ActionForm action>
                <div class="field">
                    <label for="email">"Email"</label>
                    <input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value=typed.value("email")/>
                </div>
                <button type="submit">"Email me a link"</button>
            </ActionForm>
            <p><a href="/login">"Back to sign in"</a></p>
        </div>
    }
}

/// Fields for choosing a new password, shared by the link page and the account page.
#[component]
fn NewPasswordFields() -> impl IntoView {
    view! {
        <div class="field">
            <label for="new_password">"New password"</label>
            <p class="hint" id="new_password_hint">"At least 10 characters. Three random words work well."</p>
            <input id="new_password" name="new_password" type="password" autocomplete="new-password"
                required minlength="10" maxlength="128" aria-describedby="new_password_hint"/>
        </div>
        <div class="field">
            <label for="confirm_password">"Type the new password again"</label>
            <input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password"
                required minlength="10" maxlength="128"/>
        </div>
    }
}

/// `/set-password?token=...`: from a reset email or an invitation.
#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let action = ServerAction::<SetPassword>::new();
    let error = action.value().get_untracked().and_then(|r| r.err());
    let token = query_value("token").unwrap_or_default();
    let load = {
        let token = token.clone();
        move || check_link(token.clone())
    };
    let form = move |details: super::LinkDetails| {
        let token = token.clone();
        let heading = if details.invitation {
            "Choose your password"
        } else {
            "Choose a new password"
        };
        view! {
            <Title text=heading/>
            <div class="narrow">
                <h1>{heading}</h1>
                <ErrorMessage error=error.clone()/>
                <p>"For the account "<strong>{details.email}</strong>" with "{details.organisation}"."</p>
                <ActionForm action>
                    <input type="hidden" name="token" value=token/>
                    <NewPasswordFields/>
                    <button type="submit">"Save password and sign in"</button>
                </ActionForm>
            </div>
        }
    };
    let unusable = |e: AppError| {
        view! {
            <Title text="Link not valid"/>
            <div class="narrow">
                <h1>"This link cannot be used"</h1>
                <ErrorMessage error=Some(e)/>
                <p><a href="/forgot-password">"Ask for a new password link"</a></p>
            </div>
        }
        .into_any()
    };
    page_or(load, form, unusable)
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let error = action.value().get_untracked().and_then(|r| r.err());
    let changed = query_value("changed").map(|_| {
        "Your password has been changed. Any other device signed in to your account has been signed out.".to_string()
    });
    let load = || async { me().await?.ok_or(AppError::NotSignedIn) };
    page(load, move |user: CurrentUser| {
        let roles = user
            .roles
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join(", ");
        view! {
            <Title text="Your account"/>
            <div class="narrow">
                <h1>"Your account"</h1>
                <Notice text=changed.clone()/>
                <dl class="details">
                    <dt>"Name"</dt><dd>{user.full_name.clone()}</dd>
                    <dt>"Email"</dt><dd>{user.email.clone()}</dd>
                    <dt>"Organisation"</dt><dd>{user.org_name.clone()}</dd>
                    <dt>"Roles"</dt><dd>{roles}</dd>
                </dl>
                <h2>"Change your password"</h2>
                <ErrorMessage error=error.clone()/>
                <ActionForm action>
                    <div class="field">
                        <label for="current_password">"Current password"</label>
                        <input id="current_password" name="current_password" type="password"
                            autocomplete="current-password" required maxlength="128"/>
                    </div>
                    <NewPasswordFields/>
                    <button type="submit">"Change password"</button>
                </ActionForm>
            </div>
        }
    })
}
