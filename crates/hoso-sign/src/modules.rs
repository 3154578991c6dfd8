//! Finding the PKCS#11 modules of signing tokens on a counter PC, and telling
//! whether a module can load into this process at all.
//!
//! Vietnamese CAs install their token drivers under their own names: into
//! System32 (64-bit) or SysWOW64 (32-bit), or a folder in Program Files. A
//! module whose bitness differs from the process cannot load (Windows answers
//! "not a valid Win32 application", Linux "wrong ELF class"), and that error
//! names no cause a clerk could act on; so the bitness is read from the file's
//! own header (PE machine field, ELF class) before anything loads it. Nothing
//! here loads a module or asks for a PIN: one PIN goes to one module, the
//! configured one, and only when certifying.

use std::path::{Path, PathBuf};

/// The known module files, by vendor (from the CAs' public integrations; to be
/// checked on a real PC): Windows DLL names, then Linux shared objects.
pub const KNOWN_MODULES: &[(&str, &str)] = &[
    ("VNPT-CA", "vnptca_p11_v8.dll"),
    ("VNPT-CA", "vnptca_p11_v10.dll"),
    ("Viettel-CA", "viettel-ca_v6.dll"),
    ("Viettel-CA", "viettel-ca_v5.dll"),
    ("Viettel-CA", "viettel-ca_v4.dll"),
    ("Viettel-CA", "viettel-ca_v3.dll"),
    ("Viettel-CA", "viettel-ca_v2.dll"),
    ("Viettel-CA", "viettel-ca_v1.dll"),
    ("Viettel-CA", "viettel-ca.dll"),
    ("FPT-CA", "fpt-ca.dll"),
    ("FPT-CA", "fpt-ca_v4.dll"),
    ("BKAV-CA", "BkavCA.dll"),
    ("BKAV-CA", "BkavCAv2S.dll"),
    ("MISA-CA", "misaca_csp11_v2.dll"),
    ("CA2", "CA2_csp11.dll"),
    ("VGCA (SafeNet)", "eTPKCS11.dll"),
    ("VGCA (Bit4id)", "bit4xpki.dll"),
    ("OpenSC", "opensc-pkcs11.dll"),
    ("OpenSC", "opensc-pkcs11.so"),
    ("SafeNet", "libeTPkcs11.so"),
    ("Bit4id", "libbit4xpki.so"),
    ("SoftHSM2", "libsofthsm2.so"),
];

/// How many bits a module's code is for, read from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Bits {
    B32,
    B64,
}

impl Bits {
    /// This process's.
    pub const fn this_process() -> Bits {
        if cfg!(target_pointer_width = "64") { Bits::B64 } else { Bits::B32 }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Bits::B32 => "32-bit",
            Bits::B64 => "64-bit",
        }
    }
}

/// A module file found on this PC.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FoundModule {
    pub vendor: &'static str,
    pub path: PathBuf,
    /// `None` when the header is neither a PE nor an ELF file.
    pub bits: Option<Bits>,
}

impl FoundModule {
    /// Whether this process can load it.
    pub fn loads_here(&self) -> bool {
        self.bits == Some(Bits::this_process())
    }
}

/// The bitness of a PE (Windows) or ELF (Unix) file from its first bytes:
/// PE's COFF machine field (x86, x64, ARM64), ELF's class byte.
pub fn bits_of(header: &[u8]) -> Option<Bits> {
    if header.starts_with(b"\x7fELF") {
        return match header.get(4)? {
            1 => Some(Bits::B32),
            2 => Some(Bits::B64),
            _ => None,
        };
    }
    if !header.starts_with(b"MZ") {
        return None;
    }
    let at = u32::from_le_bytes(header.get(0x3c..0x40)?.try_into().ok()?) as usize;
    if header.get(at..at.checked_add(4)?)? != b"PE\0\0" {
        return None;
    }
    let machine = u16::from_le_bytes(header.get(at + 4..at + 6)?.try_into().ok()?);
    match machine {
        0x014c => Some(Bits::B32),          // IMAGE_FILE_MACHINE_I386
        0x8664 | 0xaa64 => Some(Bits::B64), // AMD64, ARM64
        _ => None,
    }
}

/// The bitness of a module file (its first 4 KiB hold the headers).
pub fn module_bits(path: &Path) -> Option<Bits> {
    use std::io::Read;
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path).ok()?.take(4096).read_to_end(&mut head).ok()?;
    bits_of(&head)
}

/// The folders where token installers put their modules on this platform.
pub fn search_folders() -> Vec<PathBuf> {
    if cfg!(windows) {
        let env = |k: &str| std::env::var_os(k).map(PathBuf::from);
        let system = env("SystemRoot").unwrap_or_else(|| PathBuf::from("C:\\Windows"));
        let mut dirs = vec![system.join("System32"), system.join("SysWOW64")];
        dirs.extend(["ProgramFiles", "ProgramFiles(x86)"].iter().filter_map(|k| env(k)));
        dirs
    } else {
        [
            "/usr/lib",
            "/usr/lib/x86_64-linux-gnu",
            "/usr/lib/x86_64-linux-gnu/pkcs11",
            "/usr/lib/pkcs11",
            "/usr/lib/softhsm",
            "/usr/local/lib",
        ]
        .iter()
        .map(PathBuf::from)
        .collect()
    }
}

/// Every known module under `folders`, looking two levels down (a vendor's
/// folder in Program Files, and one below it), each with its bitness.
pub fn find_modules(folders: &[PathBuf]) -> Vec<FoundModule> {
    let mut found = Vec::new();
    for dir in folders {
        visit(dir, 2, &mut found);
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found.dedup_by(|a, b| a.path == b.path);
    found
}

fn visit(dir: &Path, depth: u32, found: &mut Vec<FoundModule>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            if depth > 0 {
                visit(&path, depth - 1, found);
            }
            continue;
        }
        let name = entry.file_name().to_string_lossy().to_lowercase();
        if let Some((vendor, _)) = KNOWN_MODULES.iter().find(|(_, file)| file.to_lowercase() == name) {
            found.push(FoundModule { vendor, bits: module_bits(&path), path });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal PE header: "MZ", e_lfanew at 0x3c, "PE\0\0", the machine field.
    fn pe(machine: u16) -> Vec<u8> {
        let mut h = vec![0u8; 0x100];
        h[..2].copy_from_slice(b"MZ");
        h[0x3c..0x40].copy_from_slice(&0x80u32.to_le_bytes());
        h[0x80..0x84].copy_from_slice(b"PE\0\0");
        h[0x84..0x86].copy_from_slice(&machine.to_le_bytes());
        h
    }

    #[test]
    fn bitness_comes_from_the_pe_or_elf_header() {
        assert_eq!(bits_of(&pe(0x014c)), Some(Bits::B32));
        assert_eq!(bits_of(&pe(0x8664)), Some(Bits::B64));
        assert_eq!(bits_of(&pe(0x01c0)), None, "ARM32 loads in neither process");
        assert_eq!(bits_of(b"\x7fELF\x02\x01\x01"), Some(Bits::B64));
        assert_eq!(bits_of(b"\x7fELF\x01\x01\x01"), Some(Bits::B32));
        // Damaged or hostile headers give no answer, never a panic.
        assert_eq!(bits_of(b""), None);
        assert_eq!(bits_of(b"MZ"), None);
        let mut far = pe(0x8664);
        far[0x3c..0x40].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(bits_of(&far), None);
        assert_eq!(bits_of(b"not a module at all"), None);
    }

    #[test]
    fn known_modules_are_found_in_vendor_folders_with_their_bitness() {
        let root = tempfile::tempdir().unwrap();
        let system32 = root.path().join("System32");
        let vendor = root.path().join("Program Files").join("Viettel-CA").join("bin");
        std::fs::create_dir_all(&system32).unwrap();
        std::fs::create_dir_all(&vendor).unwrap();
        std::fs::write(system32.join("vnptca_p11_v10.dll"), pe(0x8664)).unwrap();
        std::fs::write(system32.join("unrelated.dll"), pe(0x8664)).unwrap();
        std::fs::write(vendor.join("Viettel-CA_v6.dll"), pe(0x014c)).unwrap();
        let found = find_modules(&[system32.clone(), root.path().join("Program Files")]);
        let summary: Vec<_> = found.iter().map(|m| (m.vendor, m.bits)).collect();
        assert_eq!(summary, vec![("Viettel-CA", Some(Bits::B32)), ("VNPT-CA", Some(Bits::B64))]);
        assert!(!found[0].loads_here() || cfg!(target_pointer_width = "32"));
    }
}
