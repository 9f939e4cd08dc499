/* sk-paged-run.c: the paged order run the Shopify and WooCommerce
 * connectors share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See sk-paged-run-private.h. A run is a GTask of the channel whose task
 * data is the SkPagedRun; advance() decides what happens next after every
 * step: fetch while fewer than MAX_AHEAD pages wait, normalize the oldest
 * page fetched while no page is normalizing and no normalized page waits
 * for the writer, import the normalized page when nothing is being
 * written, finish when nothing is under way and nothing is left to do.
 * So page k+1 is normalized while page k is imported: one page at a time
 * on each, and pages reach the writer one by one, in order, each after
 * the one before it committed.
 *
 * A page's cursor is made when the page is normalized, while the pages
 * before it may still be waiting for the writer or being imported: it
 * counts them as done (pages_done + pages_pending), which they are by the
 * time it commits, since a page is only sent to the writer once the page
 * before it committed.
 *
 * A page fetch that fails stops the fetching only, so the pages fetched
 * before it still commit; any other error (cancellation, normalizing,
 * importing) stops everything: the page being imported, if any, ends as
 * the writer says, and nothing else is sent to it. A normalized page
 * waiting for the writer is dropped: either the page before it failed or
 * the run was cancelled, and the run resumes at the first page not
 * committed either way.
 */
#define G_LOG_DOMAIN "sk-paged-run"

#include "config.h"

#include "sk-paged-run-private.h"
#include "sk-store-import.h"
#include "sk-time.h"

/* Pages fetched ahead of the one being imported. */
#define MAX_AHEAD 2

typedef struct {
  GBytes *body;
  char   *next_token;   /* the page after this one, or NULL */
} FetchedPage;

struct _SkPagedRun
{
  SkChannel             *channel;  /* the task's source object */
  const SkPagedRunFuncs *funcs;
  gpointer               data;
  GDestroyNotify         data_free;

  SkSyncCursor  start;          /* the cursor as the run found it */
  gint64        run_started_at; /* the local clock, then the channel's */
  gboolean      clock_read;     /* run_started_at is the channel's, or resumed */
  gint64        run_max_seen;
  gint64        pages_done;     /* committed, this run and the one resumed */
  gboolean      resumed;

  char         *fetch_token;    /* the page to fetch next; NULL: the first */
  guint         fetched;        /* pages fetched this run */
  gboolean      fetching;
  gboolean      fetch_done;     /* the last page has been fetched */
  GError       *fetch_error;    /* stops fetching; queued pages still commit */

  GQueue        ready;          /* FetchedPage, in order */
  gboolean      normalizing;    /* a page is being normalized */
  SkImportPage *normalized;     /* the next page to import, waiting for the writer */
  gboolean      writing;        /* a page (or the start cursor) is being written */
  guint         pages_pending;  /* normalized but not committed: waiting or being written */
  GError       *error;          /* stops everything */

  SkSyncSummary summary;
  guint         pages_this_run;
  guint         orders_seen;
  gint64        expected;
  gboolean      finished;
};

static void
fetched_page_free (FetchedPage *page)
{
  g_clear_pointer (&page->body, g_bytes_unref);
  g_free (page->next_token);
  g_free (page);
}

static void
run_free (SkPagedRun *run)
{
  if (run->data_free != NULL)
    g_clear_pointer (&run->data, run->data_free);
  sk_sync_cursor_clear (&run->start);
  g_free (run->fetch_token);
  g_clear_error (&run->fetch_error);
  g_clear_error (&run->error);
  g_queue_clear_full (&run->ready, (GDestroyNotify) fetched_page_free);
  g_clear_pointer (&run->normalized, sk_import_page_free);
  g_free (run);
}

static void advance (GTask *task);

static void
report_progress (SkPagedRun *run)
{
  _sk_channel_set_progress (run->channel, run->pages_this_run, run->orders_seen, run->expected);
}

static void
set_fatal (SkPagedRun *run, GError *error)
{
  if (run->error == NULL)
    run->error = error;
  else
    g_error_free (error);
}

/* Read again from the first page, as a run that began now. */
static void
restart (SkPagedRun *run)
{
  run->resumed = FALSE;
  g_clear_pointer (&run->fetch_token, g_free);
  run->run_started_at = sk_time_now ();
  run->clock_read = FALSE;
  run->run_max_seen = 0;
  run->pages_done = 0;
}

/* Fetching */

static void
on_page_fetched (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SkPagedRun *run = g_task_get_task_data (task);
  g_autoptr(SkHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *body = NULL;
  char *next = NULL;
  FetchedPage *page;

  run->fetching = FALSE;
  response = run->funcs->send_finish (run, source, result, &error);

  if (response == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_fatal (run, g_steal_pointer (&error));
      else
        run->fetch_error = g_steal_pointer (&error);
      advance (task);
      return;
    }

  switch (run->funcs->read_answer (run, run->fetch_token, response, &body, &next, &error))
    {
    case SK_PAGED_ANSWER_RESTART:
      restart (run);
      advance (task);
      return;
    case SK_PAGED_ANSWER_FAILED:
      g_assert (error != NULL);
      run->fetch_error = g_steal_pointer (&error);
      advance (task);
      return;
    case SK_PAGED_ANSWER_PAGE:
    default:
      g_assert (body != NULL);
      break;
    }

  /* The run began when the channel answered its first page, by the
   * channel's clock, which is the clock of every updated_at. */
  if (!run->clock_read)
    {
      gint64 date = _sk_channel_response_date (response);

      run->clock_read = TRUE;
      if (date > 0)
        run->run_started_at = date;
    }

  page = g_new0 (FetchedPage, 1);
  page->body = body;
  page->next_token = next;
  g_queue_push_tail (&run->ready, page);
  run->fetched++;

  g_clear_pointer (&run->fetch_token, g_free);
  run->fetch_token = g_strdup (page->next_token);
  if (page->next_token == NULL)
    run->fetch_done = TRUE;

  advance (task);
}

static void
start_fetch (GTask *task)
{
  SkPagedRun *run = g_task_get_task_data (task);

  run->fetching = TRUE;
  run->funcs->send_async (run, run->fetch_token, g_task_get_cancellable (task),
                          on_page_fetched, g_object_ref (task));
}

/* Normalizing and importing */

typedef struct {
  gboolean    (*normalize) (GBytes *, SkImportPage *, GError **);
  GBytes       *body;
  char         *next_token;
  SkImportPage *page;
  gint64        max_updated;
} Normalize;

static void
normalize_free (Normalize *n)
{
  g_clear_pointer (&n->body, g_bytes_unref);
  g_free (n->next_token);
  g_clear_pointer (&n->page, sk_import_page_free);
  g_free (n);
}

/* On a worker thread. */
static void
normalize_thread (GTask        *task,
                  gpointer      source,
                  gpointer      data,
                  GCancellable *cancellable)
{
  Normalize *n = data;
  GError *error = NULL;

  if (!n->normalize (n->body, n->page, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  n->max_updated = _sk_import_page_max_updated (n->page);
  g_task_return_boolean (task, TRUE);
}

static void
on_page_imported (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SkPagedRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SkImportResult imported = { 0 };

  run->writing = FALSE;
  g_assert (run->pages_pending > 0);
  run->pages_pending--;
  if (!sk_store_import_finish (SK_STORE (source), result, &imported, &error))
    {
      set_fatal (run, g_steal_pointer (&error));
      advance (task);
      return;
    }

  run->pages_done++;
  run->pages_this_run++;
  _sk_sync_summary_add_page (&run->summary, &imported);
  report_progress (run);
  advance (task);
}

static void
on_page_normalized (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SkPagedRun *run = g_task_get_task_data (task);
  Normalize *n = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  SkImportPage *page;

  run->normalizing = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      set_fatal (run, g_steal_pointer (&error));
      advance (task);
      return;
    }
  /* The run already stops (the page before this one failed, or it was
   * cancelled): this page will not be imported. */
  if (run->error != NULL)
    {
      advance (task);
      return;
    }

  g_assert (run->normalized == NULL);
  page = g_steal_pointer (&n->page);
  run->orders_seen += page->orders->len + page->dead_letters->len;
  run->run_max_seen = MAX (run->run_max_seen, n->max_updated);
  report_progress (run);

  /* The cursor past this page, counting the pages before it that have
   * not committed yet. On the last page the run is complete in the same
   * transaction. */
  if (run->funcs->page_cursor != NULL)
    run->funcs->page_cursor (run, page, n->next_token);
  else
    _sk_paged_run_page_cursor (run, page, n->next_token);

  run->normalized = page;
  run->pages_pending++;
  advance (task);
}

static void
start_import (GTask *task)
{
  SkPagedRun *run = g_task_get_task_data (task);

  run->writing = TRUE;
  sk_store_import_async (sk_channel_get_store (run->channel), g_steal_pointer (&run->normalized),
                         g_task_get_cancellable (task), on_page_imported, g_object_ref (task));
}

static void
start_normalize (GTask *task, FetchedPage *fetched)
{
  SkPagedRun *run = g_task_get_task_data (task);
  g_autoptr(GTask) worker = NULL;
  Normalize *n;

  n = g_new0 (Normalize, 1);
  n->normalize = run->funcs->normalize;
  n->body = g_steal_pointer (&fetched->body);
  n->next_token = g_steal_pointer (&fetched->next_token);
  n->page = _sk_channel_new_page (run->channel, run->funcs->actor);

  run->normalizing = TRUE;
  worker = g_task_new (run->channel, g_task_get_cancellable (task), on_page_normalized,
                       g_object_ref (task));
  g_task_set_source_tag (worker, start_normalize);
  g_task_set_task_data (worker, n, (GDestroyNotify) normalize_free);
  g_task_run_in_thread (worker, normalize_thread);
  fetched_page_free (fetched);
}

/* The loop */

static void
finish (GTask *task)
{
  SkPagedRun *run = g_task_get_task_data (task);

  run->finished = TRUE;
  if (run->error != NULL || run->fetch_error != NULL)
    {
      GError *error = run->error != NULL ? g_steal_pointer (&run->error)
                                         : g_steal_pointer (&run->fetch_error);

      if (run->funcs->scrub_error != NULL)
        run->funcs->scrub_error (run->channel, error);
      else
        _sk_channel_scrub_error (run->channel, error);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_memdup2 (&run->summary, sizeof run->summary), g_free);
}

/* Decide what happens next; called after every step. */
static void
advance (GTask *task)
{
  SkPagedRun *run = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  if (run->finished)
    return;
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    set_fatal (run, error);

  if (!run->fetching && !run->fetch_done && run->fetch_error == NULL && run->error == NULL &&
      g_queue_get_length (&run->ready) < MAX_AHEAD)
    start_fetch (task);

  /* The page normalized goes to the writer once the one before it has
   * committed (or the start cursor is written). */
  if (!run->writing && run->error == NULL && run->normalized != NULL)
    start_import (task);

  /* One page normalizes at a time, and only while no page waits for the
   * writer: at most one page normalizes ahead of the one importing. */
  if (!run->normalizing && run->normalized == NULL && run->error == NULL &&
      !g_queue_is_empty (&run->ready))
    start_normalize (task, g_queue_pop_head (&run->ready));

  if (!run->fetching && !run->normalizing && !run->writing &&
      (run->error != NULL ||
       (run->normalized == NULL && g_queue_is_empty (&run->ready) &&
        (run->fetch_done || run->fetch_error != NULL))))
    finish (task);
}

static void
on_start_cursor_written (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SkPagedRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  run->writing = FALSE;
  if (!sk_store_import_finish (SK_STORE (source), result, NULL, &error))
    set_fatal (run, g_steal_pointer (&error));
  advance (task);
}

/* Friend API */

void
_sk_paged_run_start (GTask                 *task,
                     const SkPagedRunFuncs *funcs,
                     gpointer               data,
                     GDestroyNotify         data_free)
{
  g_autoptr(GError) error = NULL;
  SkPagedRun *run;
  char *resume;

  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (SK_IS_CHANNEL (g_task_get_source_object (task)));
  g_return_if_fail (funcs != NULL && funcs->resume_token != NULL && funcs->send_async != NULL &&
                    funcs->send_finish != NULL && funcs->read_answer != NULL &&
                    funcs->normalize != NULL);

  run = g_new0 (SkPagedRun, 1);
  run->channel = g_task_get_source_object (task);
  run->funcs = funcs;
  run->data = data;
  run->data_free = data_free;
  run->expected = -1;
  g_queue_init (&run->ready);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  if (!_sk_channel_get_cursor (run->channel, SK_CHANNEL_ORDERS_RESOURCE, &run->start, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  resume = funcs->resume_token (run, &run->start);
  if (resume != NULL)
    {
      /* An interrupted run: go on from its first uncommitted page, with
       * the same start (the cursor kept its high-water mark). */
      run->resumed = TRUE;
      run->run_started_at = run->start.run_started_at;
      run->clock_read = TRUE;
      run->run_max_seen = run->start.run_max_seen;
      run->pages_done = run->start.pages_done;
      run->fetch_token = resume;
    }
  else
    {
      /* Say that a run has begun, before any page commits. */
      run->run_started_at = sk_time_now ();
      run->writing = TRUE;
      _sk_channel_begin_run_async (run->channel, funcs->actor, &run->start, run->run_started_at,
                                   g_task_get_cancellable (task), on_start_cursor_written,
                                   g_object_ref (task));
      if (funcs->begun != NULL)
        funcs->begun (run, task);
    }

  report_progress (run);
  advance (task);
}

SkChannel *
_sk_paged_run_get_channel (SkPagedRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);

  return run->channel;
}

gpointer
_sk_paged_run_get_data (SkPagedRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);

  return run->data;
}

const SkSyncCursor *
_sk_paged_run_get_start (SkPagedRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);

  return &run->start;
}

gboolean
_sk_paged_run_is_resumed (SkPagedRun *run)
{
  g_return_val_if_fail (run != NULL, FALSE);

  return run->resumed;
}

guint
_sk_paged_run_get_fetched (SkPagedRun *run)
{
  g_return_val_if_fail (run != NULL, 0);

  return run->fetched;
}

void
_sk_paged_run_set_expected (SkPagedRun *run,
                            gint64      expected)
{
  g_return_if_fail (run != NULL);

  if (run->finished)
    return;
  run->expected = expected;
  report_progress (run);
}

void
_sk_paged_run_page_cursor (SkPagedRun   *run,
                           SkImportPage *page,
                           const char   *token)
{
  g_return_if_fail (run != NULL);
  g_return_if_fail (page != NULL);

  /* The pages before this one that have not committed yet will have by
   * the time it commits. */
  _sk_channel_page_cursor (page, &run->start, run->run_started_at, run->run_max_seen,
                           run->pages_done + run->pages_pending, token);
}
