//! Plain data types shared by the browser (wasm) and the server. serde only: no I/O here.

pub mod health;

pub use health::{Health, HealthStatus};
pub mod settings;

pub use settings::{
    CacheInfo, ConfigEntry, ConfigSection, DatabaseInfo, ImportCounts, LlmHealth, SettingsSnapshot,
};
pub mod company;
pub mod filter;
pub mod insights;
pub mod job;
pub mod run;
pub mod search;
pub mod serde_time;
pub mod time;

pub use company::{CompanyCheck, CompanyOverview, LastCollection};
pub use filter::{Inclusion, JobFilter, JobQuery, ParamError, Sort};
pub use insights::Insights;
pub use job::{
    DuplicateRef, EmploymentType, FoundBy, Highlight, Job, JobChange, JobCounts, JobSummary,
    MAX_BULK, MAX_NOTES_CHARS, NewJob, Page, Remote, Salary, SalaryPeriod, Stage, StageChange,
};
pub use run::{Phase, Run, RunCounts, RunItem, RunScope, RunStatus, RunTrigger};
pub use search::{FieldError, SavedSearch, SearchForm};
