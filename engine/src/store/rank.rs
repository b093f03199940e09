//! `jobscout_rank`: FTS5's bm25, computed the way FTS5's own `bm25()` computes it, except that
//! the number of jobs containing each phrase comes from the caller.
//!
//! FTS5's `bm25()` finds those numbers by walking every phrase's whole posting list once per
//! query: for a word in a quarter of a million jobs that is ~10 ms before the first row is
//! ranked, whether the query then ranks one row or a thousand. The numbers change slowly (a
//! few jobs an hour against hundreds of thousands), so the store counts each phrase once and
//! keeps the count for minutes (`Database::phrase_counts`); with the counts FTS5 itself would
//! find, the scores are identical to `bm25()`'s (a test holds them to it).
//!
//! Called as `jobscout_rank(jobs_fts, w_1, …, w_c, n_1, …, n_p)`: one weight per indexed
//! column, then one document count per phrase of the MATCH expression, in the order the
//! phrases appear in it. Lower is better, as with `bm25()`.

use libsqlite3_sys as ffi;
use std::ffi::{c_int, c_void};
use std::ptr;

/// The SQL name of the function.
pub const NAME: &str = "jobscout_rank";

// bm25's constants, as FTS5 uses them.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Gives a new connection the function (each connection has its own FTS5 functions).
pub(super) async fn install(conn: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    // SAFETY: the locked handle is an open connection nothing else uses while it is held.
    unsafe { register(handle.as_raw_handle().as_ptr()) }
        .map_err(|message| sqlx::Error::Configuration(message.into()))
}

/// Registers `jobscout_rank` on one connection.
///
/// # Safety
/// `db` must be an open connection that no other thread uses during the call.
unsafe fn register(db: *mut ffi::sqlite3) -> Result<(), String> {
    // SAFETY: the calls follow SQLite's documented way to obtain the fts5_api: `SELECT
    // fts5(?1)` with a pointer bound under the type "fts5_api_ptr" writes it there.
    unsafe {
        let mut stmt: *mut ffi::sqlite3_stmt = ptr::null_mut();
        let rc = ffi::sqlite3_prepare_v2(
            db,
            c"SELECT fts5(?1)".as_ptr(),
            -1,
            &mut stmt,
            ptr::null_mut(),
        );
        if rc != ffi::SQLITE_OK {
            return Err(format!("preparing SELECT fts5(?1) failed with code {rc}"));
        }
        let mut api: *mut ffi::fts5_api = ptr::null_mut();
        ffi::sqlite3_bind_pointer(
            stmt,
            1,
            (&raw mut api).cast::<c_void>(),
            c"fts5_api_ptr".as_ptr(),
            None,
        );
        ffi::sqlite3_step(stmt);
        ffi::sqlite3_finalize(stmt);
        if api.is_null() || (*api).iVersion < 2 {
            return Err("this SQLite has no FTS5 API".into());
        }
        let Some(create) = (*api).xCreateFunction else {
            return Err("this SQLite's FTS5 API cannot create functions".into());
        };
        let rc = create(
            api,
            c"jobscout_rank".as_ptr(),
            ptr::null_mut(),
            Some(rank),
            None,
        );
        if rc != ffi::SQLITE_OK {
            return Err(format!("registering {NAME} failed with code {rc}"));
        }
    }
    Ok(())
}

/// What stays the same for every row of one query: bm25's idf per phrase and the average
/// document length, plus a buffer for the per-row frequencies.
struct Query {
    idf: Vec<f64>,
    avgdl: f64,
    freq: Vec<f64>,
}

unsafe extern "C" fn drop_query(p: *mut c_void) {
    // SAFETY: `p` is the Box leaked in `query_data`, handed back once by FTS5.
    drop(unsafe { Box::from_raw(p.cast::<Query>()) });
}

/// The auxiliary function itself. It must not unwind into SQLite: nothing in it panics (every
/// index is checked), and every failure is reported through `sqlite3_result_error`.
unsafe extern "C" fn rank(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    n_val: c_int,
    ap_val: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: FTS5 passes a valid API table, context and `n_val` argument values.
    unsafe {
        let args: &[*mut ffi::sqlite3_value] = match usize::try_from(n_val) {
            Ok(n) if n > 0 => std::slice::from_raw_parts(ap_val, n),
            _ => &[],
        };
        match score(&*api, fts, args) {
            Ok(score) => ffi::sqlite3_result_double(ctx, score),
            Err(message) => ffi::sqlite3_result_error(ctx, message.as_ptr().cast(), -1),
        }
    }
}

/// The row's score, or a NUL-terminated message.
///
/// # Safety
/// `api` and `fts` as FTS5 passed them; `args` the function's arguments.
unsafe fn score(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    args: &[*mut ffi::sqlite3_value],
) -> Result<f64, &'static str> {
    const MISSING: &str = "jobscout_rank: this SQLite lacks an FTS5 call\0";
    const FAILED: &str = "jobscout_rank: reading the FTS5 index failed\0";
    let ok = |rc: c_int| {
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(FAILED)
        }
    };
    // SAFETY: every pointer comes from FTS5 for the current row; the Query behind the
    // auxiliary data is ours and lives until FTS5 drops it at the end of the query.
    unsafe {
        let columns = usize::try_from(api.xColumnCount.ok_or(MISSING)?(fts)).unwrap_or(0);
        let phrases = usize::try_from(api.xPhraseCount.ok_or(MISSING)?(fts)).unwrap_or(0);
        if args.len() != columns + phrases {
            return Err(
                "jobscout_rank: give one weight per column and one document count per phrase\0",
            );
        }
        let (weights, counts) = args.split_at(columns);
        let mut query = api.xGetAuxdata.ok_or(MISSING)?(fts, 0).cast::<Query>();
        if query.is_null() {
            let mut rows: i64 = 0;
            ok(api.xRowCount.ok_or(MISSING)?(fts, &mut rows))?;
            let mut tokens: i64 = 0;
            ok(api.xColumnTotalSize.ok_or(MISSING)?(fts, -1, &mut tokens))?;
            let rows = rows as f64;
            let idf = counts
                .iter()
                .map(|&v| {
                    let hits = ffi::sqlite3_value_double(v);
                    // As FTS5 does: a phrase in more than half the rows would score negative.
                    let idf = ((rows - hits + 0.5) / (hits + 0.5)).ln();
                    if idf <= 0.0 { 1e-6 } else { idf }
                })
                .collect();
            let data = Box::into_raw(Box::new(Query {
                idf,
                avgdl: tokens as f64 / rows,
                freq: vec![0.0; phrases],
            }));
            if api.xSetAuxdata.ok_or(MISSING)?(fts, data.cast(), Some(drop_query)) != ffi::SQLITE_OK
            {
                // FTS5 has already called drop_query on it.
                return Err(FAILED);
            }
            query = data;
        }
        let query = &mut *query;

        query.freq.iter_mut().for_each(|f| *f = 0.0);
        let mut instances: c_int = 0;
        ok(api.xInstCount.ok_or(MISSING)?(fts, &mut instances))?;
        let inst = api.xInst.ok_or(MISSING)?;
        for i in 0..instances {
            let (mut phrase, mut column, mut offset) = (0, 0, 0);
            ok(inst(fts, i, &mut phrase, &mut column, &mut offset))?;
            let weight = usize::try_from(column)
                .ok()
                .and_then(|c| weights.get(c))
                .map_or(1.0, |&v| ffi::sqlite3_value_double(v));
            if let Some(f) = usize::try_from(phrase)
                .ok()
                .and_then(|p| query.freq.get_mut(p))
            {
                *f += weight;
            }
        }
        let mut length: c_int = 0;
        ok(api.xColumnSize.ok_or(MISSING)?(fts, -1, &mut length))?;
        let norm = K1 * (1.0 - B + B * f64::from(length) / query.avgdl);
        let score: f64 = query
            .idf
            .iter()
            .zip(&query.freq)
            .map(|(idf, f)| idf * ((f * (K1 + 1.0)) / (f + norm)))
            .sum();
        Ok(-score)
    }
}
