/* sk-money-private.h: test hooks of sk-money.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sk-money.h"

G_BEGIN_DECLS

/* The monetary conventions sk_money_format_display() takes from the locale,
 * spelled out so tests can check formatting without installed locales. */
typedef struct {
  const char *decimal_point;   /* "." */
  const char *thousands_sep;   /* "," or "" for none */
  const char *grouping;        /* as localeconv()'s mon_grouping: "\3\3" */
  gboolean    cs_precedes;     /* symbol before the amount */
  gboolean    sep_by_space;    /* a space between symbol and amount */
  const char *negative_sign;   /* "-" */
} SkMoneyConventions;

char *_sk_money_format_with_conventions (gint64                     minor,
                                         const char                *currency,
                                         const SkMoneyConventions  *conv);

/* The symbol used for @currency ("$", "€"), or NULL when the code is shown. */
const char *_sk_currency_symbol (const char *currency);

G_END_DECLS
