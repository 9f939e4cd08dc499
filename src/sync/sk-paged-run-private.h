/* sk-paged-run-private.h: the paged order run the Shopify and WooCommerce
 * connectors share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A paged run fetches page k+1 while page k is normalized (on a worker
 * thread) and imported (on the store's writer thread); page k+1 may be
 * normalized while page k is being imported, one page at most ahead.
 * Pages commit in order, each with the cursor that points past it, so a
 * run that stops anywhere resumes at the first page not committed. The engine owns the
 * loop: the cursor "a run began", fetching ahead, progress, cancellation,
 * the first error winning, resuming and restarting. A connector says how
 * to ask for a page, how to read the answer and what its tokens mean
 * (SkPagedRunFuncs); its rules stay in the connector.
 *
 * Page tokens are strings the connector makes and reads: NULL asks for the
 * first page, and a page whose next token is NULL is the last.
 */
#pragma once

#include "sk-channel-private.h"

G_BEGIN_DECLS

typedef struct _SkPagedRun SkPagedRun;

/* What an answer to a page request is. */
typedef enum {
  SK_PAGED_ANSWER_PAGE,    /* a page: its body and the next token */
  SK_PAGED_ANSWER_FAILED,  /* an error: no more fetching; the pages already
                            * fetched still commit, then the run fails */
  SK_PAGED_ANSWER_RESTART, /* the resumed place is gone: forget it and read
                            * again from the first page, as a new run by the
                            * channel's clock (no new "began" cursor) */
} SkPagedAnswer;

typedef struct {
  /* Who imports the pages ("sync:shopify"). */
  const char *actor;

  /* An interrupted run found in @cursor: the token of its first page not
   * committed (newly allocated), or NULL to begin a new run. */
  char          *(*resume_token) (SkPagedRun          *run,
                                  const SkSyncCursor  *cursor);
  /* Optional: a new run has begun (its "began" cursor is being written and
   * no page asked for yet). @task is the run's. */
  void           (*begun)        (SkPagedRun          *run,
                                  GTask               *task);
  /* Ask for the page at @token (NULL: the first page). */
  void           (*send_async)   (SkPagedRun          *run,
                                  const char          *token,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
  SkHttpResponse*(*send_finish)  (SkPagedRun          *run,
                                  GObject             *source,
                                  GAsyncResult        *result,
                                  GError             **error);
  /* Read the answer to the request for @token. PAGE: set *@out_body and
   * *@out_next (NULL: the last page); FAILED: set @error. Also the place
   * for per-page metadata (totals: _sk_paged_run_set_expected()). */
  SkPagedAnswer  (*read_answer)  (SkPagedRun          *run,
                                  const char          *token,
                                  SkHttpResponse      *response,
                                  GBytes             **out_body,
                                  char               **out_next,
                                  GError             **error);
  /* Fill @page from @body: good orders and dead letters; FALSE only when
   * the body as a whole is unreadable. On a worker thread. */
  gboolean       (*normalize)    (GBytes              *body,
                                  SkImportPage        *page,
                                  GError             **error);
  /* Optional: set @page to write the cursor past it, @next being the token
   * of the page after it (NULL: the last). Default:
   * _sk_paged_run_page_cursor (run, page, next). */
  void           (*page_cursor)  (SkPagedRun          *run,
                                  SkImportPage        *page,
                                  const char          *next);
  /* Optional: keep secrets out of the run's error. Default:
   * _sk_channel_scrub_error(). */
  void           (*scrub_error)  (SkChannel           *channel,
                                  GError              *error);
} SkPagedRunFuncs;

/* Run @task (a GTask of an SkChannel's sync_async, the channel as its
 * source object) as a paged run; it returns a g_memdup2()'d SkSyncSummary,
 * which SkChannel's default sync_finish reads. @data is the connector's
 * state for this run, freed with @data_free. Main thread. */
void                _sk_paged_run_start        (GTask                 *task,
                                                const SkPagedRunFuncs *funcs,
                                                gpointer               data,
                                                GDestroyNotify         data_free);

SkChannel          *_sk_paged_run_get_channel  (SkPagedRun   *run);
gpointer            _sk_paged_run_get_data     (SkPagedRun   *run);
/* The cursor as the run found it. */
const SkSyncCursor *_sk_paged_run_get_start    (SkPagedRun   *run);
/* TRUE while the run goes on from an interrupted one. */
gboolean            _sk_paged_run_is_resumed   (SkPagedRun   *run);
/* Pages answered this run (before the one being read). */
guint               _sk_paged_run_get_fetched  (SkPagedRun   *run);
/* How many orders the run expects, for the progress; ignored once the
 * run has finished. */
void                _sk_paged_run_set_expected (SkPagedRun   *run,
                                                gint64        expected);
/* The default cursor: _sk_channel_page_cursor() with the run's start,
 * clock, newest change seen and pages done (counting the earlier pages
 * still being imported: they commit before this one), and @token (copied)
 * as the place of the next page. */
void                _sk_paged_run_page_cursor  (SkPagedRun   *run,
                                                SkImportPage *page,
                                                const char   *token);

G_END_DECLS
