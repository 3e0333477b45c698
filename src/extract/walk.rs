//! Expanding inputs into the files to read: files as given, folders recursively (in
//! file-name order, hidden entries skipped with a note), `-` for standard input.
//! Lazy: a huge folder is walked as it is read.

use std::collections::VecDeque;
use std::path::PathBuf;

use super::ReadError;

/// One thing to read, or a note about something not read.
#[derive(Debug)]
pub enum Entry {
    /// A file; `in_folder` when found by walking a folder (then binary files are
    /// skipped instead of being errors).
    File { path: PathBuf, in_folder: bool },
    /// Standard input.
    Stdin,
    /// Not read: a skip note or an error.
    Note(ReadError),
}

/// Walks the inputs in order.
pub struct Walk {
    inputs: VecDeque<String>,
    current: Option<walkdir::IntoIter>,
}

impl Walk {
    /// Walks `inputs` in the order given.
    pub fn new(inputs: &[String]) -> Self {
        Self {
            inputs: inputs.iter().cloned().collect(),
            current: None,
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

impl Iterator for Walk {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        loop {
            if let Some(it) = &mut self.current {
                match it.next() {
                    None => self.current = None,
                    Some(Err(e)) => {
                        let path = e
                            .path()
                            .map(|p| p.display().to_string())
                            .unwrap_or_default();
                        let source = e
                            .into_io_error()
                            .unwrap_or_else(|| std::io::Error::other("file system loop"));
                        return Some(Entry::Note(ReadError::Io { path, source }));
                    }
                    Some(Ok(e)) => {
                        if e.depth() > 0 && is_hidden(e.file_name()) {
                            if e.file_type().is_dir() {
                                it.skip_current_dir();
                            }
                            return Some(Entry::Note(ReadError::Skipped {
                                path: e.path().display().to_string(),
                                reason: "hidden".into(),
                            }));
                        }
                        if e.file_type().is_file() {
                            return Some(Entry::File {
                                path: e.into_path(),
                                in_folder: true,
                            });
                        }
                        continue;
                    }
                }
            }
            let input = self.inputs.pop_front()?;
            if input == "-" {
                return Some(Entry::Stdin);
            }
            let path = PathBuf::from(&input);
            match std::fs::metadata(&path) {
                Err(source) => {
                    return Some(Entry::Note(ReadError::Io {
                        path: input,
                        source,
                    }));
                }
                Ok(m) if m.is_dir() => {
                    self.current = Some(
                        walkdir::WalkDir::new(&path)
                            .follow_links(true)
                            .sort_by_file_name()
                            .into_iter(),
                    );
                }
                Ok(_) => {
                    return Some(Entry::File {
                        path,
                        in_folder: false,
                    });
                }
            }
        }
    }
}
