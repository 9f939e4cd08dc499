/* bench-ui.c: the window and the order inbox at 1,000,000 orders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-ui DATABASE [--launches N] [--searches N] [--rows-steps N]
 *                          [--page-steps N] [--screenshot DIR] [--no-sync]
 *
 * Needs a display (run it through bench/run-ui-bench.sh, which starts Xvfb)
 * and the compiled GSettings schema (GSETTINGS_SCHEMA_DIR). The database is
 * one bench-scale made; it is opened like the app opens a profile's store
 * but never synced, so nothing is written into it.
 *
 * Measures, printing one line per metric with its target and PASS or MISS:
 *  - launch to the first painted inbox rows: N fresh processes, each timed
 *    from the spawn (and from its main()) until the first frame whose
 *    after-paint finds rows with text in the visible part of the column
 *    view;
 *  - search repaint: terms set in the search entry; from the keystroke
 *    (including the entry's search delay) and from the moment the filter
 *    reaches the model, until the after-paint whose top row is the model's
 *    new first order;
 *  - scrolling: the list's vertical adjustment moved on every frame tick,
 *    three rows and then one page per frame; the time from the frame
 *    clock's before-paint to after-paint (the frame's work) and the
 *    intervals between frames; then jumps to the middle and the end;
 *  - peak RSS (getrusage).
 *
 * "Painted" means after GdkFrameClock::after-paint followed by an X round
 * trip (gdk_display_sync), so with the cairo renderer the X server has
 * drawn the frame too (--no-sync leaves the round trip out).
 */
#define G_LOG_DOMAIN "bench-ui"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <adwaita.h>

#include "sk-context.h"
#include "sk-http.h"
#include "sk-inbox-view.h"
#include "sk-notifier.h"
#include "sk-order-list.h"
#include "sk-store.h"
#include "sk-sync-manager.h"
#include "sk-window.h"

#define FRAME_BUDGET_MS 16.667

typedef struct _Bench Bench;
typedef gboolean (*PaintCheck) (Bench *b);

struct _Bench
{
  /* Options */
  char *db_path;
  gboolean launch_only;
  int launches;
  int searches;
  int rows_steps;
  int page_steps;
  gboolean sync_paint;
  char *screenshot_dir;

  GtkApplication *app;
  SkContext *context;
  SkWindow *window;
  SkInboxView *inbox;
  GListModel *orders;
  GtkWidget *search_entry;
  GtkWidget *column_view;
  GtkWidget *list_view;
  GtkAdjustment *vadj;
  GdkFrameClock *clock;
  int exit_status;

  /* Frames */
  gint64 before_paint_us;
  gint64 before_paint_cpu_us;
  gint64 last_cpu_us;         /* CPU time of the last frame, all threads */
  gint64 last_work_us;

  /* Waiting for a frame that shows something */
  PaintCheck want;
  gint64 hit_us;
  gint64 hit_work_us;
  gint64 hit_cpu_us;         /* process CPU time at that after-paint */

  /* Search */
  gint64 filter_us;       /* search-changed reached the view */
  gint64 filter_cpu_us;
  gint64 model_us;        /* the model answered with items-changed */
  char *expected_first;   /* order number of the new first row, or NULL */
  const char *expected_page;

  /* Scrolling */
  double step;
  int steps_left;
  gboolean stepped;       /* the adjustment moved in this frame's update */
  gint64 prev_step_paint_us;
  GArray *work_ms;
  GArray *cpu_ms;
  GArray *interval_ms;
  double jump_to;         /* < 0: none pending */
  gint64 jump_us;
  char *first_before_jump;
};

static gint64 main_start_us;
static gboolean all_pass = TRUE;

/* Numbers */

static double
ms_between (gint64 from_us, gint64 to_us)
{
  return (to_us - from_us) / 1000.0;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return (da > db) - (da < db);
}

static double
percentile (GArray *values, double p)
{
  guint i;

  if (values->len == 0)
    return -1;
  g_array_sort (values, compare_doubles);
  i = (guint) (p * (values->len - 1) + 0.5);
  return g_array_index (values, double, MIN (i, values->len - 1));
}

static guint
count_over (GArray *values, double limit)
{
  guint n = 0;

  for (guint i = 0; i < values->len; i++)
    n += g_array_index (values, double, i) > limit;
  return n;
}

/* CPU time of the whole process (all threads: GL drivers render in
 * their own), to tell slow code from a busy machine. */
static gint64
process_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * G_GINT64_CONSTANT (1000000) + ts.tv_nsec / 1000;
}

static double
cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec * 1000.0 + usage.ru_utime.tv_usec / 1000.0 +
         usage.ru_stime.tv_sec * 1000.0 + usage.ru_stime.tv_usec / 1000.0;
}

static long
peak_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static const char *renderer_label;

typedef struct {
  char *name;
  long kb;
} Mapping;

static int
compare_mappings (gconstpointer a,
                  gconstpointer b)
{
  const Mapping *ma = a, *mb = b;

  return (mb->kb > ma->kb) - (mb->kb < ma->kb);
}

/* Where the resident memory is now: anonymous, and the largest files
 * mapped (libraries: GL drivers, LLVM, fonts; the database is read, not
 * mapped), from /proc/self/smaps. */
static char *
rss_breakdown (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) mappings = g_array_new (FALSE, FALSE, sizeof (Mapping));
  g_autoptr(GString) out = g_string_new (NULL);
  const char *current = "[anon]";
  g_autofree char *current_owned = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (!g_file_get_contents ("/proc/self/smaps", &contents, NULL, NULL))
    return g_strdup ("");
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      long kb;

      if (g_ascii_isxdigit (line[0]) && strchr (line, '-') != NULL && strchr (line, ' ') != NULL)
        {
          const char *path = strchr (line, '/');
          const char *basename;

          g_clear_pointer (&current_owned, g_free);
          if (path == NULL)
            current = "[anon]";
          else
            {
              basename = strrchr (path, '/') + 1;
              current_owned = g_strdup (basename);
              current = current_owned;
            }
        }
      else if (sscanf (line, "Rss: %ld kB", &kb) == 1 && kb > 0)
        {
          gpointer old = g_hash_table_lookup (by_name, current);

          g_hash_table_insert (by_name, g_strdup (current),
                               GSIZE_TO_POINTER (GPOINTER_TO_SIZE (old) + (gsize) kb));
        }
    }
  g_hash_table_iter_init (&iter, by_name);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Mapping m = { key, (long) GPOINTER_TO_SIZE (value) };

      g_array_append_val (mappings, m);
    }
  g_array_sort (mappings, compare_mappings);
  for (guint i = 0; i < mappings->len && i < 6; i++)
    {
      const Mapping *m = &g_array_index (mappings, Mapping, i);

      g_string_append_printf (out, "%s%s %.1f MB", i > 0 ? ", " : "", m->name, m->kb / 1024.0);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
report (const char *metric,
        double      value,
        const char *unit,
        double      target,
        const char *detail)
{
  gboolean pass = value >= 0 && value < target;

  all_pass &= pass;
  g_print ("[%s] %-40s %9.1f %-2s (target < %g %s) %s%s%s\n", renderer_label, metric, value,
           unit, target, unit, pass ? "PASS" : "MISS", detail ? "  " : "", detail ? detail : "");
}

static void
inform (const char *metric,
        double      value,
        const char *unit,
        const char *detail)
{
  g_print ("[%s] %-40s %9.1f %-2s %s\n", renderer_label, metric, value, unit,
           detail ? detail : "");
}

/* Widgets */

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (g_type_is_a (G_OBJECT_TYPE (child), type))
        return child;
      found = find_descendant (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The order number shown in a row: the inscription styled .order-number. */
static GtkWidget *
row_number_inscription (GtkWidget *row)
{
  for (GtkWidget *cell = gtk_widget_get_first_child (row);
       cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    {
      GtkWidget *child = gtk_widget_get_first_child (cell);

      if (child != NULL && GTK_IS_INSCRIPTION (child) &&
          gtk_widget_has_css_class (child, "order-number"))
        return child;
    }
  return NULL;
}

/* Rows of the list view that lie (at least partly) in its visible area and
 * show an order number; @first gets the topmost one's number. */
static guint
visible_rows (Bench       *b,
              const char **first)
{
  int height = gtk_widget_get_height (b->list_view);
  double best_y = G_MAXDOUBLE;
  guint n = 0;

  if (first != NULL)
    *first = NULL;
  if (!gtk_widget_get_mapped (b->list_view))
    return 0;

  for (GtkWidget *row = gtk_widget_get_first_child (b->list_view);
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      graphene_rect_t bounds;
      GtkWidget *number;
      const char *text;

      if (!gtk_widget_get_mapped (row) ||
          !gtk_widget_compute_bounds (row, b->list_view, &bounds))
        continue;
      if (bounds.origin.y + bounds.size.height <= 0 || bounds.origin.y >= height)
        continue;
      number = row_number_inscription (row);
      text = number != NULL ? gtk_inscription_get_text (GTK_INSCRIPTION (number)) : NULL;
      if (text == NULL || *text == '\0')
        continue;
      n++;
      if (first != NULL && bounds.origin.y < best_y)
        {
          best_y = bounds.origin.y;
          *first = text;
        }
    }
  return n;
}

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static int
row_height (Bench *b)
{
  for (GtkWidget *row = gtk_widget_get_first_child (b->list_view);
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (gtk_widget_get_mapped (row) && gtk_widget_get_height (row) > 0)
      return gtk_widget_get_height (row);
  return 0;
}

static const char *
renderer_name (Bench *b)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (b->window));

  return renderer != NULL ? G_OBJECT_TYPE_NAME (renderer) : "none";
}

/* What the window shows, as PNG into --screenshot DIR, to check by eye
 * that the bench measures a real inbox. */
static void
save_screenshot (Bench      *b,
                 const char *name)
{
  GtkWidget *widget = GTK_WIDGET (b->window);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (b->screenshot_dir == NULL || width <= 0 || height <= 0)
    return;
  g_mkdir_with_parents (b->screenshot_dir, 0755);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);
  path = g_build_filename (b->screenshot_dir, name, NULL);
  if (gdk_texture_save_to_png (texture, path))
    g_print ("[%s]   screenshot %s\n", renderer_label, path);
}

/* Waiting */

static gboolean
on_wake (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @b->want has been satisfied by a painted frame
 * (it is cleared then) or @timeout_ms passed. */
static gboolean
wait_for_paint (Bench     *b,
                PaintCheck check,
                guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id;

  b->want = check;
  b->hit_us = 0;
  id = g_timeout_add (timeout_ms, on_wake, &timed_out);
  while (b->want != NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  b->want = NULL;
  return b->hit_us != 0;
}

static void
pump (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_wake, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Frames */

static void
on_before_paint (GdkFrameClock *clock,
                 Bench         *b)
{
  b->before_paint_us = g_get_monotonic_time ();
  b->before_paint_cpu_us = process_cpu_us ();
}

static void
on_after_paint (GdkFrameClock *clock,
                Bench         *b)
{
  gint64 now, cpu;

  if (b->sync_paint)
    gdk_display_sync (gtk_widget_get_display (GTK_WIDGET (b->window)));
  now = g_get_monotonic_time ();
  cpu = process_cpu_us ();
  b->last_work_us = b->before_paint_us != 0 ? now - b->before_paint_us : 0;
  b->last_cpu_us = b->before_paint_us != 0 ? cpu - b->before_paint_cpu_us : 0;

  if (b->stepped && b->work_ms != NULL)
    {
      double work = b->last_work_us / 1000.0;
      double frame_cpu = b->last_cpu_us / 1000.0;

      g_array_append_val (b->work_ms, work);
      g_array_append_val (b->cpu_ms, frame_cpu);
      if (b->prev_step_paint_us != 0)
        {
          double interval = ms_between (b->prev_step_paint_us, now);

          g_array_append_val (b->interval_ms, interval);
        }
      b->prev_step_paint_us = now;
    }
  b->stepped = FALSE;

  if (b->want != NULL && b->want (b))
    {
      b->hit_us = now;
      b->hit_work_us = b->last_work_us;
      b->hit_cpu_us = cpu;
      b->want = NULL;
    }
}

static void
on_window_realize (GtkWidget *widget,
                   Bench     *b)
{
  b->clock = gtk_widget_get_frame_clock (widget);
  g_signal_connect (b->clock, "before-paint", G_CALLBACK (on_before_paint), b);
  g_signal_connect (b->clock, "after-paint", G_CALLBACK (on_after_paint), b);
}

/* Launch */

static gboolean
check_first_rows (Bench *b)
{
  return g_list_model_get_n_items (b->orders) > 0 &&
         g_strcmp0 (sk_inbox_view_get_visible_page (b->inbox), "list") == 0 &&
         visible_rows (b, NULL) > 0;
}

/* What the app does in create_context () and open_window (), minus
 * starting the sync manager (the channels of the benchmark database have
 * no tokens, and a sync would write into it). */
static gboolean
open_window (Bench *b)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(SkStore) store = NULL;
  g_autoptr(SkHttp) http = NULL;
  g_autoptr(SkSyncManager) sync = NULL;
  g_autoptr(SkNotifier) notifier = NULL;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_printerr ("The GSettings schema %s is not found: set GSETTINGS_SCHEMA_DIR.\n", APP_ID);
      return FALSE;
    }
  settings = g_settings_new_full (schema, NULL, NULL);

  store = sk_store_open (b->db_path, &error);
  if (store == NULL)
    {
      g_printerr ("Could not open %s: %s\n", b->db_path, error->message);
      return FALSE;
    }
  http = sk_http_new ();
  sync = sk_sync_manager_new (store, http);
  notifier = sk_notifier_new ("Storekeep");
  sk_notifier_watch (notifier, sync);
  b->context = sk_context_new (store, sync, settings, notifier);

  b->window = sk_window_new (b->app, b->context);
  g_signal_connect_after (b->window, "realize", G_CALLBACK (on_window_realize), b);
  b->inbox = sk_window_get_inbox_view (b->window);
  b->orders = sk_inbox_view_get_model (b->inbox);
  b->search_entry = find_descendant (GTK_WIDGET (b->inbox), GTK_TYPE_SEARCH_ENTRY);
  b->column_view = find_descendant (GTK_WIDGET (b->inbox), GTK_TYPE_COLUMN_VIEW);
  b->list_view = b->column_view != NULL ? find_descendant (b->column_view, GTK_TYPE_LIST_VIEW) : NULL;
  if (b->search_entry == NULL || b->column_view == NULL || b->list_view == NULL)
    {
      g_printerr ("The inbox has no search entry, column view or list view.\n");
      return FALSE;
    }
  b->vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (b->list_view));
  gtk_window_present (GTK_WINDOW (b->window));
  return TRUE;
}

/* Search */

static gboolean
on_search_changed_hook (GSignalInvocationHint *hint,
                        guint                  n_params,
                        const GValue          *params,
                        gpointer               user_data)
{
  Bench *b = user_data;

  if (g_value_get_object (&params[0]) == (gpointer) b->search_entry && b->filter_us == 0)
    {
      b->filter_us = g_get_monotonic_time ();
      b->filter_cpu_us = process_cpu_us ();
    }
  return TRUE;
}

static void
on_orders_items_changed (GListModel *model,
                         guint       position,
                         guint       removed,
                         guint       added,
                         Bench      *b)
{
  g_autoptr(SkOrder) first = NULL;

  /* The last of the signals the filter change caused counts (a model may
   * signal a removal and an insertion separately). */
  if (b->filter_us == 0)
    return;
  b->model_us = g_get_monotonic_time ();
  g_clear_pointer (&b->expected_first, g_free);
  if (g_list_model_get_n_items (model) > 0)
    first = g_list_model_get_item (model, 0);
  if (first != NULL)
    b->expected_first = g_strdup (sk_order_get_number (first));
}

static gboolean
check_search_painted (Bench *b)
{
  const char *first = NULL;

  if (b->model_us == 0)
    return FALSE;
  if (b->expected_first == NULL)
    return g_strcmp0 (sk_inbox_view_get_visible_page (b->inbox), "list") != 0;
  return g_strcmp0 (sk_inbox_view_get_visible_page (b->inbox), "list") == 0 &&
         visible_rows (b, &first) > 0 && g_strcmp0 (first, b->expected_first) == 0;
}

typedef struct {
  double key_ms, filter_ms, model_ms, cpu_ms;
  guint n_items;
  gboolean ok;
} SearchTiming;

static SearchTiming
time_search (Bench      *b,
             const char *text)
{
  SearchTiming t = { 0 };
  gint64 key_us;

  b->filter_us = b->model_us = 0;
  g_clear_pointer (&b->expected_first, g_free);

  key_us = g_get_monotonic_time ();
  sk_inbox_view_set_search_text (b->inbox, text);
  t.ok = wait_for_paint (b, check_search_painted, 10000);
  if (t.ok)
    {
      t.key_ms = ms_between (key_us, b->hit_us);
      t.filter_ms = ms_between (b->filter_us, b->hit_us);
      t.model_ms = ms_between (b->filter_us, b->model_us);
      t.cpu_ms = ms_between (b->filter_cpu_us, b->hit_cpu_us);
      t.n_items = g_list_model_get_n_items (b->orders);
    }
  b->filter_us = 0;
  return t;
}

static void
bench_search (Bench *b)
{
  static const char *terms[] = {
    "müller", "anna", "berlin", "tent", "titanium", "zürich", "WC-0004", "sofia santos",
    "backpack 55", "pack-38l", "lisboa", "kenji tanaka", "merino", "rain jacket", "praha",
    "o'connor", "stove multi", "#1042", "fernández", "head lamp",
  };
  g_autoptr(GArray) key = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) filter = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) model = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) clear_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) clear = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) clear_model = g_array_new (FALSE, FALSE, sizeof (double));
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (b->search_entry), "search-delay");
  guint delay = 150;
  guint hook;
  int n = MIN (b->searches, (int) G_N_ELEMENTS (terms));
  g_autofree char *detail = NULL;
  guint failed = 0;

  if (n <= 0)
    return;
  if (pspec != NULL)
    g_object_get (b->search_entry, "search-delay", &delay, NULL);
  hook = g_signal_add_emission_hook (g_signal_lookup ("search-changed", GTK_TYPE_SEARCH_ENTRY), 0,
                                     on_search_changed_hook, b, NULL);
  g_signal_connect (b->orders, "items-changed", G_CALLBACK (on_orders_items_changed), b);

  for (int i = 0; i < n; i++)
    {
      SearchTiming t, c;

      gtk_adjustment_set_value (b->vadj, gtk_adjustment_get_lower (b->vadj));
      pump (250);
      t = time_search (b, terms[i]);
      if (!t.ok)
        {
          g_print ("[%s]   search %-14s no repaint within 10 s\n", renderer_label, terms[i]);
          failed++;
          continue;
        }
      g_array_append_val (key, t.key_ms);
      g_array_append_val (filter, t.filter_ms);
      g_array_append_val (model, t.model_ms);
      g_array_append_val (cpu, t.cpu_ms);
      if (i == 0)
        save_screenshot (b, "search.png");
      g_print ("[%s]   search %-16s %7u rows  filter→paint %6.1f ms (CPU %6.1f, model %6.1f)"
               "  keystroke→paint %6.1f ms\n", renderer_label, terms[i], t.n_items, t.filter_ms, t.cpu_ms, t.model_ms, t.key_ms);

      pump (250);
      c = time_search (b, "");
      if (c.ok)
        {
          g_array_append_val (clear, c.filter_ms);
          g_array_append_val (clear_model, c.model_ms);
          g_array_append_val (clear_cpu, c.cpu_ms);
        }
      else
        failed++;
    }
  g_signal_remove_emission_hook (g_signal_lookup ("search-changed", GTK_TYPE_SEARCH_ENTRY), hook);
  g_signal_handlers_disconnect_by_func (b->orders, on_orders_items_changed, b);

  detail = g_strdup_printf ("(%u terms; p95 %.1f ms; model %.1f ms, CPU %.1f ms median)",
                            filter->len, percentile (filter, 0.95), percentile (model, 0.5),
                            percentile (cpu, 0.5));
  report ("search filter→repaint, median", percentile (filter, 0.5), "ms", 100, detail);
  g_clear_pointer (&detail, g_free);
  report ("search filter→repaint, p95", percentile (filter, 0.95), "ms", 100, NULL);
  detail = g_strdup_printf ("(p95 %.1f ms; includes the entry's %u ms search delay)",
                            percentile (key, 0.95), delay);
  report ("search keystroke→repaint, median", percentile (key, 0.5), "ms", 100 + delay, detail);
  g_clear_pointer (&detail, g_free);
  detail = g_strdup_printf ("(back to all orders; p95 %.1f ms; model %.1f ms, CPU %.1f ms median)",
                            percentile (clear, 0.95), percentile (clear_model, 0.5),
                            percentile (clear_cpu, 0.5));
  report ("clear search→repaint, median", percentile (clear, 0.5), "ms", 100, detail);
  if (failed > 0)
    {
      g_print ("[%s] %u searches did not repaint\n", renderer_label, failed);
      all_pass = FALSE;
    }
}

/* Scrolling */

static gboolean
scroll_tick (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  Bench *b = user_data;
  double value, max;

  if (b->jump_to >= 0)
    {
      b->jump_us = g_get_monotonic_time ();
      gtk_adjustment_set_value (b->vadj, b->jump_to);
      b->jump_to = -1;
      return G_SOURCE_CONTINUE;
    }
  if (b->steps_left <= 0)
    return G_SOURCE_CONTINUE;

  value = gtk_adjustment_get_value (b->vadj) + b->step;
  max = gtk_adjustment_get_upper (b->vadj) - gtk_adjustment_get_page_size (b->vadj);
  if (value > max)
    value = gtk_adjustment_get_lower (b->vadj);
  gtk_adjustment_set_value (b->vadj, value);
  b->stepped = TRUE;
  b->steps_left--;
  return G_SOURCE_CONTINUE;
}

static gboolean
check_steps_done (Bench *b)
{
  return b->steps_left <= 0;
}

static void
report_frames (Bench      *b,
               const char *what)
{
  g_autofree char *metric = NULL;
  g_autofree char *detail = NULL;
  guint over = count_over (b->work_ms, FRAME_BUDGET_MS);
  guint missed = count_over (b->interval_ms, 1.5 * FRAME_BUDGET_MS);

  metric = g_strdup_printf ("scroll %s: frame work p95", what);
  detail = g_strdup_printf ("(p50 %.1f, p99 %.1f, max %.1f ms; %u of %u frames over 16.7 ms; "
                            "CPU p50 %.1f, p95 %.1f ms)",
                            percentile (b->work_ms, 0.5), percentile (b->work_ms, 0.99),
                            percentile (b->work_ms, 1.0), over, b->work_ms->len,
                            percentile (b->cpu_ms, 0.5), percentile (b->cpu_ms, 0.95));
  report (metric, percentile (b->work_ms, 0.95), "ms", FRAME_BUDGET_MS, detail);
  g_clear_pointer (&metric, g_free);
  g_clear_pointer (&detail, g_free);
  metric = g_strdup_printf ("scroll %s: frame interval p50", what);
  detail = g_strdup_printf ("(p95 %.1f, p99 %.1f ms; %u of %u intervals over 25 ms)",
                            percentile (b->interval_ms, 0.95), percentile (b->interval_ms, 0.99),
                            missed, b->interval_ms->len);
  inform (metric, percentile (b->interval_ms, 0.5), "ms", detail);
}

static void
run_steps (Bench      *b,
           const char *what,
           double      step,
           int         steps)
{
  g_autofree char *label = NULL;
  gint64 start;

  g_clear_pointer (&b->work_ms, g_array_unref);
  g_clear_pointer (&b->cpu_ms, g_array_unref);
  g_clear_pointer (&b->interval_ms, g_array_unref);
  b->work_ms = g_array_new (FALSE, FALSE, sizeof (double));
  b->cpu_ms = g_array_new (FALSE, FALSE, sizeof (double));
  b->interval_ms = g_array_new (FALSE, FALSE, sizeof (double));
  b->prev_step_paint_us = 0;
  b->step = step;
  b->steps_left = steps;
  start = g_get_monotonic_time ();
  if (!wait_for_paint (b, check_steps_done, 600000))
    g_print ("[%s] scrolling %s did not finish\n", renderer_label, what);
  label = g_strdup_printf ("%s (%d steps of %.0f px, %.1f s)", what, steps, step,
                           ms_between (start, g_get_monotonic_time ()) / 1000.0);
  report_frames (b, label);
  g_clear_pointer (&b->work_ms, g_array_unref);
  g_clear_pointer (&b->cpu_ms, g_array_unref);
  g_clear_pointer (&b->interval_ms, g_array_unref);
}

static gboolean
check_jump_painted (Bench *b)
{
  const char *first = NULL;

  return b->jump_to < 0 && b->jump_us != 0 && visible_rows (b, &first) > 0 &&
         g_strcmp0 (first, b->first_before_jump) != 0;
}

static void
jump (Bench      *b,
      const char *what,
      double      fraction)
{
  const char *first = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *metric = NULL;
  double max = gtk_adjustment_get_upper (b->vadj) - gtk_adjustment_get_page_size (b->vadj);

  visible_rows (b, &first);
  g_free (b->first_before_jump);
  b->first_before_jump = g_strdup (first);
  b->jump_us = 0;
  b->jump_to = gtk_adjustment_get_lower (b->vadj) + fraction * (max - gtk_adjustment_get_lower (b->vadj));
  metric = g_strdup_printf ("jump to the %s: repaint", what);
  if (!wait_for_paint (b, check_jump_painted, 30000))
    {
      report (metric, -1, "ms", 100, "(no repaint within 30 s)");
      return;
    }
  visible_rows (b, &first);
  detail = g_strdup_printf ("(that frame's work %.1f ms, CPU %.1f ms; top row now %s)",
                            b->hit_work_us / 1000.0, b->last_cpu_us / 1000.0, first);
  report (metric, ms_between (b->jump_us, b->hit_us), "ms", 100, detail);
}

static void
bench_scroll (Bench *b)
{
  int height;
  guint tick;

  gtk_adjustment_set_value (b->vadj, gtk_adjustment_get_lower (b->vadj));
  pump (300);
  height = row_height (b);
  if (height <= 0)
    {
      g_print ("[%s] no rows to scroll\n", renderer_label);
      all_pass = FALSE;
      return;
    }
  b->jump_to = -1;
  tick = gtk_widget_add_tick_callback (b->column_view, scroll_tick, b, NULL);
  g_print ("[%s]   %u rows, %u row widgets, row height %d px, page %.0f px, "
           "scrollable height %.0f px\n",
           renderer_label, g_list_model_get_n_items (b->orders), count_children (b->list_view),
           height, gtk_adjustment_get_page_size (b->vadj), gtk_adjustment_get_upper (b->vadj));

  if (b->rows_steps > 0)
    run_steps (b, "3 rows/frame", 3.0 * height, b->rows_steps);
  if (b->page_steps > 0)
    run_steps (b, "1 page/frame", gtk_adjustment_get_page_size (b->vadj), b->page_steps);

  jump (b, "middle", 0.5);
  pump (300);
  save_screenshot (b, "middle.png");
  jump (b, "end", 1.0);
  pump (300);
  save_screenshot (b, "end.png");
  jump (b, "top", 0.0);
  gtk_widget_remove_tick_callback (b->column_view, tick);
}

/* The run */

static void
finish (Bench *b,
        int    status)
{
  b->exit_status = status;
  if (b->window != NULL)
    gtk_window_destroy (GTK_WINDOW (b->window));
  g_application_release (G_APPLICATION (b->app));
}

static gboolean
run_bench (gpointer user_data)
{
  Bench *b = user_data;
  double first_ms, cpu;
  long rss;
  const char *env;
  g_autofree char *detail = NULL;

  if (!open_window (b))
    {
      finish (b, 1);
      return G_SOURCE_REMOVE;
    }
  if (!wait_for_paint (b, check_first_rows, 60000))
    {
      g_printerr ("No rows were painted within 60 s (page %s, %u orders).\n",
                  sk_inbox_view_get_visible_page (b->inbox),
                  g_list_model_get_n_items (b->orders));
      finish (b, 1);
      return G_SOURCE_REMOVE;
    }
  first_ms = ms_between (main_start_us, b->hit_us);
  cpu = cpu_ms ();
  rss = peak_rss_kb ();

  if (b->launch_only)
    {
      double exec_ms = -1;

      env = g_getenv ("SK_BENCH_SPAWN_US");
      if (env != NULL)
        exec_ms = ms_between (g_ascii_strtoll (env, NULL, 10), b->hit_us);
      g_print ("LAUNCH main_ms=%.1f exec_ms=%.1f cpu_ms=%.1f rss_kb=%ld rows=%u renderer=%s\n",
               first_ms, exec_ms, cpu, rss, g_list_model_get_n_items (b->orders),
               renderer_name (b));
      finish (b, 0);
      return G_SOURCE_REMOVE;
    }

  g_print ("[%s] renderer in use: %s, window %dx%d, %u orders in the inbox\n", renderer_label,
           renderer_name (b), gtk_widget_get_width (GTK_WIDGET (b->window)),
           gtk_widget_get_height (GTK_WIDGET (b->window)), g_list_model_get_n_items (b->orders));
  detail = g_strdup_printf ("(this process, from main(); CPU %.0f ms, RSS then %.1f MB)",
                            cpu, rss / 1024.0);
  inform ("launch→first rows, in-process run", first_ms, "ms", detail);

  pump (500);
  save_screenshot (b, "first-rows.png");
  bench_search (b);
  bench_scroll (b);

  rss = peak_rss_kb ();
  report ("peak RSS (whole session)", rss / 1024.0, "MB", 200,
          "(after launch, searches and scrolling)");
  g_clear_pointer (&detail, g_free);
  detail = rss_breakdown ();
  g_print ("[%s]   resident now, largest: %s\n", renderer_label, detail);
  finish (b, all_pass ? 0 : 2);
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *app,
             Bench        *b)
{
  /* After activate returns, so that the window's first frames are not
   * nested in it. */
  g_application_hold (app);
  g_idle_add_full (G_PRIORITY_HIGH, run_bench, b, NULL);
}

/* Fresh processes for the launch time */

static gboolean
parse_launch (const char *out,
              double     *main_ms,
              double     *exec_ms,
              double     *cpu,
              double     *rss_kb,
              char      **renderer)
{
  const char *line = strstr (out, "LAUNCH ");
  char name[128];

  if (line == NULL)
    return FALSE;
  if (sscanf (line, "LAUNCH main_ms=%lf exec_ms=%lf cpu_ms=%lf rss_kb=%lf rows=%*u renderer=%127s",
              main_ms, exec_ms, cpu, rss_kb, name) != 5)
    return FALSE;
  *renderer = g_strdup (name);
  return TRUE;
}

static void
bench_launches (Bench *b)
{
  g_autoptr(GArray) exec = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) from_main = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) rss = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *renderer = NULL;
  g_autofree char *detail = NULL;

  for (int i = 0; i < b->launches; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *spawn_us = NULL;
      g_auto(GStrv) env = g_get_environ ();
      const char *argv[] = { self_exe, b->db_path, "--launch-only", NULL, NULL };
      double m, e, c, r;
      int status = 0;

      if (!b->sync_paint)
        argv[3] = "--no-sync";
      spawn_us = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_monotonic_time ());
      env = g_environ_setenv (env, "SK_BENCH_SPAWN_US", spawn_us, TRUE);
      if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL,
                         &out, &err, &status, &error))
        {
          g_printerr ("Could not run %s: %s\n", self_exe, error->message);
          continue;
        }
      g_clear_pointer (&renderer, g_free);
      if (!g_spawn_check_wait_status (status, NULL) ||
          !parse_launch (out, &m, &e, &c, &r, &renderer))
        {
          g_printerr ("Launch %d failed:\n%s%s\n", i + 1, out, err);
          continue;
        }
      if (err != NULL && *err != '\0' && i == 0)
        g_printerr ("%s", err);
      g_print ("[%s]   launch %d: %.1f ms from spawn, %.1f ms from main(), CPU %.0f ms, RSS %.1f MB (%s)\n",
               renderer_label, i + 1, e, m, c, r / 1024.0, renderer);
      g_array_append_val (exec, e);
      g_array_append_val (from_main, m);
      g_array_append_val (cpu, c);
      r /= 1024.0;
      g_array_append_val (rss, r);
    }
  if (b->launches <= 0)
    return;
  if (exec->len == 0)
    {
      report ("launch→first rows, median", -1, "ms", 1000, "(no launch succeeded)");
      return;
    }
  detail = g_strdup_printf ("(%u fresh processes, min %.1f, max %.1f; from main() %.1f; CPU %.0f ms)",
                            exec->len, percentile (exec, 0.0), percentile (exec, 1.0),
                            percentile (from_main, 0.5), percentile (cpu, 0.5));
  report ("launch→first rows, median", percentile (exec, 0.5), "ms", 1000, detail);
  report ("peak RSS at first rows, median", percentile (rss, 0.5), "MB", 200, NULL);
}

int
main (int argc, char *argv[])
{
  Bench bench = { 0 };
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdwApplication) app = NULL;
  g_autofree char *label = NULL;
  const char *renderer_env;
  char load[64] = "";
  GOptionEntry entries[] = {
    { "launch-only", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &bench.launch_only,
      "Measure one launch and exit", NULL },
    { "launches", 0, 0, G_OPTION_ARG_INT, &bench.launches,
      "Fresh processes to time the launch with (default 7)", "N" },
    { "searches", 0, 0, G_OPTION_ARG_INT, &bench.searches,
      "Search terms to time (default 16, at most 20)", "N" },
    { "rows-steps", 0, 0, G_OPTION_ARG_INT, &bench.rows_steps,
      "Frames scrolled by 3 rows (default 1000)", "N" },
    { "page-steps", 0, 0, G_OPTION_ARG_INT, &bench.page_steps,
      "Frames scrolled by one page (default 300)", "N" },
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, &bench.screenshot_dir,
      "Save what the window shows at each stage into DIR", "DIR" },
    { "no-sync", 0, G_OPTION_FLAG_REVERSE, G_OPTION_ARG_NONE, &bench.sync_paint,
      "Do not wait for the X server after each frame", NULL },
    { NULL }
  };

  main_start_us = g_get_monotonic_time ();
  setlocale (LC_ALL, "");

  bench.launches = 7;
  bench.searches = 16;
  bench.rows_steps = 1000;
  bench.page_steps = 300;
  bench.sync_paint = TRUE;
  options = g_option_context_new ("DATABASE — the window and the inbox at 1,000,000 orders");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("%s\n", error != NULL ? error->message
                                        : "Usage: bench-ui DATABASE (made by bench-scale)");
      return 1;
    }
  bench.db_path = argv[1];
  if (!g_file_test (bench.db_path, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr ("%s does not exist: make it with bench-scale %s\n", bench.db_path, bench.db_path);
      return 1;
    }

  renderer_env = g_getenv ("GSK_RENDERER");
  label = g_strdup (renderer_env != NULL ? renderer_env : "default");
  renderer_label = label;

  if (!bench.launch_only)
    {
      g_autofree char *contents = NULL;

      if (g_file_get_contents ("/proc/loadavg", &contents, NULL, NULL))
        g_strlcpy (load, contents, sizeof load);
      g_strchomp (load);
      g_print ("[%s] database %s; load average %s; %s painting\n", renderer_label,
               bench.db_path, load, bench.sync_paint ? "X round trip after" : "no round trip after");
      bench_launches (&bench);
    }

  /* The in-process launch is timed from here, after the fresh processes. */
  if (!bench.launch_only)
    main_start_us = g_get_monotonic_time ();
  app = adw_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  g_object_set (app, "resource-base-path", "/io/github/storekeep/Storekeep", NULL);
  bench.app = GTK_APPLICATION (app);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), &bench);
  g_application_run (G_APPLICATION (app), 1, argv);

  g_clear_object (&bench.context);
  g_free (bench.expected_first);
  g_free (bench.first_before_jump);
  g_free (bench.screenshot_dir);
  if (!bench.launch_only)
    g_print ("[%s] %s\n", renderer_label, all_pass ? "all targets met" : "some targets missed");
  return bench.exit_status;
}
