//! Accounts and roles for the desktop app: sign-in sets who the audit log
//! names; certifying needs a supervisor. The CLI is an IT tool and acts as the
//! system user (whoever holds a token PIN may certify from it).

use hoso_store::{Account, Role};

use crate::{Actor, App, now};

impl App {
    /// Signs in: checks the password and makes `username` the actor of every
    /// following change, with the account's role.
    pub fn login(&mut self, username: &str, password: &str) -> anyhow::Result<Account> {
        let account = self.store.login(username, password, now())?;
        self.actor = Actor::Person { name: account.username.clone(), role: account.role };
        Ok(account)
    }

    /// Signs out: nobody acts until the next sign-in.
    pub fn logout(&mut self) {
        self.actor = Actor::Nobody;
    }

    pub fn add_account(
        &mut self,
        username: &str,
        display_name: &str,
        role: Role,
        password: &str,
    ) -> anyhow::Result<Account> {
        self.require_admin()?;
        Ok(self.store.add_account(username, display_name, role, password, self.actor.name(), now())?)
    }

    pub fn accounts(&self) -> anyhow::Result<Vec<Account>> {
        self.require_admin()?;
        Ok(self.store.accounts()?)
    }

    /// Sets `username`'s password: one's own, or anyone's for an
    /// administrator (the CLI, acting as the system user, may too).
    pub fn set_password(&mut self, username: &str, password: &str) -> anyhow::Result<()> {
        self.require_signed_in()?;
        if username != self.actor.name() {
            self.require_admin()?;
        }
        Ok(self.store.set_password(username, password, self.actor.name(), now())?)
    }

    pub fn set_account_disabled(&mut self, username: &str, disabled: bool) -> anyhow::Result<()> {
        self.require_admin()?;
        Ok(self.store.set_account_disabled(username, disabled, self.actor.name(), now())?)
    }
}
