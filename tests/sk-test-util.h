/* sk-test-util.h: helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Path of a file under tests/fixtures/. */
char     *sk_test_fixture_path   (const char *relative);
/* Its contents; aborts the test when missing. */
GBytes   *sk_test_load_fixture   (const char *relative);
JsonNode *sk_test_load_json      (const char *relative);

/* A fresh temporary directory, removed with everything in it by
 * sk_test_tmpdir_free (also at exit when forgotten). */
char     *sk_test_tmpdir_new     (void);
void      sk_test_tmpdir_free    (char *path);

/* Iterate the default main context until *@flag is TRUE or @timeout_ms
 * passes (then the test fails). */
void      sk_test_wait_for       (gboolean *flag, guint timeout_ms);
/* Iterate until @condition returns TRUE. */
void      sk_test_wait_until     (gboolean (*condition) (gpointer), gpointer data, guint timeout_ms);

/* Common g_test_init plus a private XDG environment under a temp dir. */
void      sk_test_init           (int *argc, char ***argv);

G_END_DECLS
