/* sk-store-problems.h: dead letters and open exceptions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sk-store.h"

G_BEGIN_DECLS

typedef struct {
  gint64  id;
  gint64  channel_id;
  char   *resource;
  char   *external_id;
  char   *reason;
  GBytes *raw;
  gint64  created_at;
  gint64  attempts;
} SkDeadLetterRecord;

void       sk_dead_letter_record_free     (SkDeadLetterRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkDeadLetterRecord, sk_dead_letter_record_free)

/* Open (unresolved) letters, newest first; @channel_id 0 for all. */
GPtrArray *sk_store_list_dead_letters     (SkStore   *self,
                                           gint64     channel_id,
                                           GError   **error);
gint64     sk_store_count_dead_letters    (SkStore   *self,
                                           gint64     channel_id,
                                           GError   **error);
/* Mark resolved (the user dismissed it, or a retry imported it). */
gboolean   sk_store_resolve_dead_letter   (SkStore   *self,
                                           gint64     letter_id,
                                           GError   **error);

typedef struct {
  gint64  id;
  char   *kind;        /* "channel-auth", "channel-failing", "dead-letters", ... */
  char   *dedup_key;
  gint64  channel_id;  /* 0 when none */
  char   *message;     /* a sentence for people */
  gint64  opened_at;
  gint64  notified_at; /* 0 until a notification went out */
} SkProblem;

void       sk_problem_free                (SkProblem *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkProblem, sk_problem_free)

/* Open a problem unless one with @dedup_key is open already (then only its
 * message is refreshed). Returns TRUE in *out_is_new for a new problem, so
 * the caller notifies once per problem, not per retry. */
gboolean   sk_store_open_problem          (SkStore    *self,
                                           const char *kind,
                                           const char *dedup_key,
                                           gint64      channel_id,
                                           const char *message,
                                           gboolean   *out_is_new,
                                           GError    **error);
gboolean   sk_store_resolve_problem       (SkStore    *self,
                                           const char *dedup_key,
                                           GError    **error);
gboolean   sk_store_mark_problem_notified (SkStore    *self,
                                           const char *dedup_key,
                                           GError    **error);
GPtrArray *sk_store_list_problems         (SkStore    *self,
                                           GError    **error); /* SkProblem, open only */

G_END_DECLS
