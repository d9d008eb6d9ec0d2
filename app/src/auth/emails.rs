//! The emails about accounts: invitations and password resets (text and HTML).

use crate::mail::{escape_html, html_layout, Email};

pub fn invitation(to: &str, full_name: &str, org_name: &str, link: &str) -> Email {
    let subject = format!("You have been invited to {org_name}'s e-safety training");
    let text = format!(
        "Hello {full_name},\n\n\
         {org_name} has set up an account for you on its e-safety induction site.\n\n\
         To choose your password and sign in, open this link within 7 days:\n{link}\n\n\
         If you were not expecting this, you can ignore this email.\n"
    );
    let html = html_layout(
        &subject,
        &format!(
            "<p>Hello {name},</p><p>{org} has set up an account for you on its e-safety induction site.</p>\
             <p><a href=\"{link}\">Choose your password and sign in</a> (this link works for 7 days).</p>\
             <p>If you were not expecting this, you can ignore this email.</p>",
            name = escape_html(full_name),
            org = escape_html(org_name),
            link = escape_html(link),
        ),
    );
    Email {
        to: to.to_string(),
        subject,
        text,
        html,
    }
}

pub fn password_reset(to: &str, full_name: &str, link: &str) -> Email {
    let subject = "Reset your e-safety training password".to_string();
    let text = format!(
        "Hello {full_name},\n\n\
         Someone asked to reset the password for this account. If it was you, open this link \
         within 1 hour to choose a new password:\n{link}\n\n\
         The link works once. If you did not ask, you can ignore this email: your password has not changed.\n"
    );
    let html = html_layout(
        &subject,
        &format!(
            "<p>Hello {name},</p><p>Someone asked to reset the password for this account. If it was you, \
             <a href=\"{link}\">choose a new password</a> within 1 hour.</p>\
             <p>The link works once. If you did not ask, you can ignore this email: your password has not changed.</p>",
            name = escape_html(full_name),
            link = escape_html(link),
        ),
    );
    Email {
        to: to.to_string(),
        subject,
        text,
        html,
    }
}
