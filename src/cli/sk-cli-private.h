/* sk-cli-private.h: what the command line's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sk-cli.c dispatches and holds sync, orders, health and demo;
 * sk-cli-channel.c the channel commands; sk-cli-import.c "import csv".
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sk-cli.h"
#include "sk-store.h"

G_BEGIN_DECLS

enum {
  SK_CLI_EXIT_OK = 0,
  SK_CLI_EXIT_FAILED = 1,   /* the work failed; the reason is on stderr */
  SK_CLI_EXIT_USAGE = 2,
};

typedef struct {
  char *profile;        /* --profile */
  char **rest;          /* subcommand and its arguments */
} SkCliGlobal;

/* "storekeep: MESSAGE" on stderr. */
void     _sk_cli_print_error    (const char   *format,
                                 ...) G_GNUC_PRINTF (1, 2);

/* The profile's store, or NULL with the reason printed. */
SkStore *_sk_cli_open_store     (SkCliGlobal  *global);

/* Parse the options of a subcommand; on failure print the message and
 * return FALSE. @summary (translated, may be NULL) goes above the options
 * in --help. */
gboolean _sk_cli_parse_options  (const char   *usage,
                                 const char   *summary,
                                 GOptionEntry *entries,
                                 int          *argc,
                                 char       ***argv);

/* Iterate the default main context until *@done. */
void     _sk_cli_wait_for       (gboolean     *done);

/* How one secret is asked for: from the environment variable @env_name
 * when one is named, else the next line of standard input (with @prompt
 * and without echo on a terminal). The sentences are translated;
 * @env_missing names the variable (used only when one was named). */
typedef struct {
  const char *prompt;        /* "Consumer key: " */
  const char *env_missing;   /* "The environment variable SK_KEY is not set. …" */
  const char *empty;         /* "No consumer key was given. …" */
} SkCliSecretPrompt;

/* The secret, stripped of blanks; NULL and SK_SYNC_ERROR_NO_CREDENTIALS
 * when none was given. Never from argv. Free with _sk_cli_wipe_string(). */
char    *_sk_cli_read_secret    (const SkCliSecretPrompt *prompt,
                                 const char              *env_name,
                                 GError                 **error);
/* Overwrite and free *@s; NULL afterwards. */
void     _sk_cli_wipe_string    (char        **s);

/* JSON members: a string (null when @value is NULL). */
void     _sk_cli_add_string_member (JsonBuilder *builder,
                                    const char  *name,
                                    const char  *value);
/* Pretty JSON of @builder's root on stdout. */
void     _sk_cli_print_json     (JsonBuilder  *builder);

int      _sk_cli_channel        (SkCliGlobal  *global,
                                 int           argc,
                                 char        **argv);
int      _sk_cli_import         (SkCliGlobal  *global,
                                 int           argc,
                                 char        **argv);

G_END_DECLS
