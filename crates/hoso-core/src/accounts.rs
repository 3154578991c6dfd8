//! Accounts and roles for the desktop app: sign-in sets who the audit log
//! names; certifying needs a supervisor. The CLI is an IT tool and acts as the
//! system user (whoever holds a token PIN may certify from it).

use hoso_store::{Account, Role};

use crate::{App, now};

impl App {
    /// Signs in: checks the password and makes `username` the actor of every
    /// following change.
    pub fn login(&mut self, username: &str, password: &str) -> anyhow::Result<Account> {
        let account = self.store.login(username, password, now())?;
        self.actor = account.username.clone();
        self.role = Some(account.role);
        Ok(account)
    }

    /// Signs out: changes are refused by [`App::require`] until the next sign-in.
    pub fn logout(&mut self) {
        self.role = None;
    }

    /// Who the audit log names for the next change.
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// The signed-in role (`None` for the CLI, which acts as the system user).
    pub fn role(&self) -> Option<Role> {
        self.role
    }

    /// Refuses unless the signed-in account may certify. Front ends with
    /// sign-in call this before [`App::certify`].
    pub fn require_certifier(&self) -> anyhow::Result<()> {
        match self.role {
            Some(r) if r.can_certify() => Ok(()),
            _ => {
                anyhow::bail!("chỉ lãnh đạo/giám sát được chứng thực / only a supervisor may certify copies")
            }
        }
    }

    /// Refuses unless the signed-in account is an administrator.
    pub fn require_admin(&self) -> anyhow::Result<()> {
        match self.role {
            Some(Role::Admin) => Ok(()),
            _ => anyhow::bail!("chỉ quản trị viên / administrators only"),
        }
    }

    pub fn add_account(
        &mut self,
        username: &str,
        display_name: &str,
        role: Role,
        password: &str,
    ) -> anyhow::Result<Account> {
        Ok(self.store.add_account(username, display_name, role, password, &self.actor, now())?)
    }

    pub fn accounts(&self) -> anyhow::Result<Vec<Account>> {
        Ok(self.store.accounts()?)
    }

    /// Sets `username`'s password: one's own, or anyone's for an
    /// administrator (the CLI, acting as the system user, may too).
    pub fn set_password(&mut self, username: &str, password: &str) -> anyhow::Result<()> {
        if self.role.is_some() && username != self.actor {
            self.require_admin()?;
        }
        Ok(self.store.set_password(username, password, &self.actor, now())?)
    }

    pub fn set_account_disabled(&mut self, username: &str, disabled: bool) -> anyhow::Result<()> {
        Ok(self.store.set_account_disabled(username, disabled, &self.actor, now())?)
    }
}
