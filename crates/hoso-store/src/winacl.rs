//! The store folder's access list on Windows: its user's alone (and
//! SYSTEM's, which backup services run as), protected from what the parent
//! folder would hand down. An administrator can still take the folder over,
//! as Windows lets them. The default folder, %LOCALAPPDATA%, is
//! already private; a folder IT chose (D:\HoSo) lets every user of the PC
//! read by default, and the store holds names, ID numbers and scans. A folder
//! whose list is protected already (ours from before, or IT's own) is left as
//! it is.

use std::ffi::OsStr;
use std::io;
use std::os::windows::ffi::OsStrExt;
use std::path::Path;
use std::ptr::null_mut;

use windows_sys::Win32::Foundation::{CloseHandle, ERROR_SUCCESS, HANDLE, LocalFree};
use windows_sys::Win32::Security::Authorization::{
    ConvertSidToStringSidW, ConvertStringSecurityDescriptorToSecurityDescriptorW, GetNamedSecurityInfoW,
    SDDL_REVISION_1, SE_FILE_OBJECT, SetNamedSecurityInfoW,
};
use windows_sys::Win32::Security::{
    ACL, DACL_SECURITY_INFORMATION, GetSecurityDescriptorControl, GetSecurityDescriptorDacl,
    GetTokenInformation, PROTECTED_DACL_SECURITY_INFORMATION, PSECURITY_DESCRIPTOR, SE_DACL_PROTECTED,
    TOKEN_QUERY, TOKEN_USER, TokenUser,
};
use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

fn wide(s: &OsStr) -> Vec<u16> {
    s.encode_wide().chain(std::iter::once(0)).collect()
}

/// A NUL-terminated UTF-16 string Windows allocated, as text; freed.
///
/// # Safety
/// `p` is a string LocalAlloc'd by the system, or null.
unsafe fn take_wide(p: *mut u16) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: the system wrote a NUL-terminated string at p.
    let text = unsafe {
        let len = (0..).take_while(|&i| *p.add(i) != 0).count();
        String::from_utf16_lossy(std::slice::from_raw_parts(p, len))
    };
    // SAFETY: p came from LocalAlloc (the conversion functions' contract).
    unsafe { LocalFree(p.cast()) };
    text
}

/// The SID of the user this process runs as, in its text form (S-1-5-21-…).
pub(crate) fn user_sid() -> io::Result<String> {
    let mut token: HANDLE = null_mut();
    // SAFETY: the pseudo-handle of this process; token is written on success.
    if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) } == 0 {
        return Err(io::Error::last_os_error());
    }
    let mut len = 0u32;
    // SAFETY: a size query (no buffer); then a buffer of that size, u64-aligned for TOKEN_USER.
    unsafe { GetTokenInformation(token, TokenUser, null_mut(), 0, &mut len) };
    let mut buf = vec![0u64; (len as usize).div_ceil(8)];
    let ok = unsafe { GetTokenInformation(token, TokenUser, buf.as_mut_ptr().cast(), len, &mut len) };
    let err = io::Error::last_os_error();
    // SAFETY: the token opened above.
    unsafe { CloseHandle(token) };
    if ok == 0 {
        return Err(err);
    }
    // SAFETY: GetTokenInformation filled buf with a TOKEN_USER (its SID inside buf).
    let sid = unsafe { (*buf.as_ptr().cast::<TOKEN_USER>()).User.Sid };
    let mut text = null_mut();
    // SAFETY: sid points into buf, alive; text is LocalAlloc'd on success.
    if unsafe { ConvertSidToStringSidW(sid, &mut text) } == 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: text came from ConvertSidToStringSidW.
    Ok(unsafe { take_wide(text) })
}

/// `path`'s security descriptor with its access list; the caller frees it
/// with `LocalFree`.
fn read_dacl(path: &Path) -> io::Result<PSECURITY_DESCRIPTOR> {
    let name = wide(path.as_os_str());
    let mut sd: PSECURITY_DESCRIPTOR = null_mut();
    // SAFETY: name is NUL-terminated; sd is LocalAlloc'd on success.
    let rc = unsafe {
        GetNamedSecurityInfoW(
            name.as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION,
            null_mut(),
            null_mut(),
            null_mut(),
            null_mut(),
            &mut sd,
        )
    };
    if rc != ERROR_SUCCESS {
        return Err(io::Error::from_raw_os_error(rc as i32));
    }
    Ok(sd)
}

/// Whether `path`'s access list is protected from inheritance.
pub(crate) fn is_protected(path: &Path) -> io::Result<bool> {
    let sd = read_dacl(path)?;
    let (mut control, mut revision) = (0u16, 0u32);
    // SAFETY: sd is the descriptor just read; freed once.
    let ok = unsafe { GetSecurityDescriptorControl(sd, &mut control, &mut revision) };
    unsafe { LocalFree(sd) };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(control & SE_DACL_PROTECTED != 0)
}

/// Gives `path` (a folder) the access list of this module's header, handed
/// down to everything in it, unless its list is protected already.
pub(crate) fn make_private(path: &Path) -> io::Result<()> {
    if is_protected(path)? {
        return Ok(());
    }
    // Full access, handed down to files and folders: the user and SYSTEM.
    let sddl = format!("D:P(A;OICI;FA;;;{})(A;OICI;FA;;;SY)", user_sid()?);
    let sddl = wide(OsStr::new(&sddl));
    let mut sd: PSECURITY_DESCRIPTOR = null_mut();
    // SAFETY: sddl is NUL-terminated; sd is LocalAlloc'd on success.
    if unsafe {
        ConvertStringSecurityDescriptorToSecurityDescriptorW(
            sddl.as_ptr(),
            SDDL_REVISION_1,
            &mut sd,
            null_mut(),
        )
    } == 0
    {
        return Err(io::Error::last_os_error());
    }
    let (mut present, mut defaulted) = (0, 0);
    let mut dacl: *mut ACL = null_mut();
    // SAFETY: sd is the descriptor just made; dacl points into it.
    let ok = unsafe { GetSecurityDescriptorDacl(sd, &mut present, &mut dacl, &mut defaulted) };
    let rc = if ok == 0 || present == 0 {
        Err(io::Error::last_os_error())
    } else {
        let name = wide(path.as_os_str());
        // SAFETY: name is NUL-terminated, dacl valid while sd lives.
        let rc = unsafe {
            SetNamedSecurityInfoW(
                name.as_ptr(),
                SE_FILE_OBJECT,
                DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                null_mut(),
                null_mut(),
                dacl,
                null_mut(),
            )
        };
        if rc == ERROR_SUCCESS { Ok(()) } else { Err(io::Error::from_raw_os_error(rc as i32)) }
    };
    // SAFETY: sd came from the conversion above; freed once.
    unsafe { LocalFree(sd) };
    rc
}

#[cfg(test)]
mod tests {
    use super::*;
    use windows_sys::Win32::Security::Authorization::ConvertSecurityDescriptorToStringSecurityDescriptorW;

    /// The folder's access list in SDDL.
    fn dacl_sddl(path: &Path) -> String {
        let sd = read_dacl(path).unwrap();
        let mut text = null_mut();
        let ok = unsafe {
            ConvertSecurityDescriptorToStringSecurityDescriptorW(
                sd,
                SDDL_REVISION_1,
                DACL_SECURITY_INFORMATION,
                &mut text,
                null_mut(),
            )
        };
        unsafe { LocalFree(sd) };
        assert_ne!(ok, 0, "{}", io::Error::last_os_error());
        unsafe { take_wide(text) }
    }

    #[test]
    fn the_store_folder_is_its_users_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("store");
        std::fs::create_dir(&root).unwrap();
        // Under Wine the calls must succeed (they run on every open there
        // too), but what they do cannot be judged: Wine keeps a folder's access
        // list as its Unix mode, ignores "protected", merges in what the parent
        // hands down and reads it all back as inherited. The list itself is
        // checked on Windows.
        let user = user_sid().unwrap();
        assert!(user.starts_with("S-1-5-"), "{user}");
        crate::Store::open(&root).unwrap();
        if std::env::var_os("HOSO_TEST_WINE").is_some() {
            eprintln!("the store folder's access list is not checkable under Wine (see the test)");
            return;
        }
        let sddl = dacl_sddl(&root);
        assert!(sddl.starts_with("D:P") && is_protected(&root).unwrap(), "{sddl}");
        assert!(
            sddl.contains(&format!("(A;OICI;FA;;;{user})")) && sddl.contains("(A;OICI;FA;;;SY)"),
            "{sddl}"
        );
        for other in [";;;BU)", ";;;WD)", ";;;AU)", ";;;BA)"] {
            assert!(!sddl.contains(other), "no Users, Everyone, Authenticated Users, Administrators: {sddl}");
        }
        // hoso.db, made after, inherits the list; a second open leaves it as it is.
        let db = dacl_sddl(&root.join("hoso.db"));
        assert!(db.contains(&user) && !db.contains(";;;BU)") && !db.contains(";;;WD)"), "{db}");
        crate::Store::open(&root).unwrap();
        assert_eq!(dacl_sddl(&root), sddl);
    }
}
