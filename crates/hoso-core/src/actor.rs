//! Who acts through an [`App`], and what each may do. The audit log names the
//! actor of every change. The desktop app starts with nobody and acts for the
//! person signed in, with their account's role; the CLI is an IT tool and acts
//! as the system user, named by the OS login (or `--actor`); nobody changes
//! nothing. Every use case that changes the store or needs a role checks here,
//! whatever front end calls it.

use hoso_i18n::{Localized, Message};
use hoso_store::Role;

use crate::App;

/// Who acts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// Nobody signed in (the desktop's window before sign-in or after
    /// sign-out): changes and reads of records are refused.
    Nobody,
    /// A person signed in, with their account's role.
    Person { name: String, role: Role },
    /// The system user: the CLI and IT's scripts, answering to the OS account.
    System { name: String },
}

impl Actor {
    pub fn system(name: impl Into<String>) -> Actor {
        Actor::System { name: name.into() }
    }

    /// The name the audit log writes.
    pub fn name(&self) -> &str {
        match self {
            Actor::Nobody => "",
            Actor::Person { name, .. } | Actor::System { name } => name,
        }
    }

    /// A signed-in person's role.
    pub fn role(&self) -> Option<Role> {
        match self {
            Actor::Person { role, .. } => Some(*role),
            _ => None,
        }
    }
}

impl App {
    /// Who acts.
    pub fn acting(&self) -> &Actor {
        &self.actor
    }

    /// The name the audit log writes for the next change.
    pub fn actor(&self) -> &str {
        self.actor.name()
    }

    /// A signed-in person's role (`None` for the system user and for nobody).
    pub fn role(&self) -> Option<Role> {
        self.actor.role()
    }

    /// Refuses nobody.
    pub fn require_signed_in(&self) -> anyhow::Result<()> {
        match self.actor {
            Actor::Nobody => Err(Localized(Message::new("error-not-signed-in")).into()),
            _ => Ok(()),
        }
    }

    /// Refuses unless the actor may certify copies: a supervisor or an
    /// administrator, or the system user (whoever holds the token's PIN).
    pub fn require_certifier(&self) -> anyhow::Result<()> {
        self.require_signed_in()?;
        match &self.actor {
            Actor::Person { role, .. } if !role.can_certify() => {
                Err(Localized(Message::new("error-only-certifier")).into())
            }
            _ => Ok(()),
        }
    }

    /// Refuses unless the actor is an administrator or the system user.
    pub fn require_admin(&self) -> anyhow::Result<()> {
        self.require_signed_in()?;
        match &self.actor {
            Actor::Person { role, .. } if *role != Role::Admin => {
                Err(Localized(Message::new("error-only-admin")).into())
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_actor_may_do_what_its_role_allows() {
        let person = |role| Actor::Person { name: "x".into(), role };
        for (actor, signed_in, certifier, admin) in [
            (Actor::Nobody, false, false, false),
            (person(Role::Reception), true, false, false),
            (person(Role::Supervisor), true, true, false),
            (person(Role::Admin), true, true, true),
            (Actor::system("it"), true, true, true),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let config = crate::config::load(&crate::config::Overrides {
                config_file: Some(dir.path().join("none.toml")).filter(|_| false),
                data_dir: Some(dir.path().join("store")),
                unit: None,
            })
            .unwrap();
            let app = App::open(config, actor.clone()).unwrap();
            assert_eq!(app.require_signed_in().is_ok(), signed_in, "{actor:?}");
            assert_eq!(app.require_certifier().is_ok(), certifier, "{actor:?}");
            assert_eq!(app.require_admin().is_ok(), admin, "{actor:?}");
        }
    }
}
