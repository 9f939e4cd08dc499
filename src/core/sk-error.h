/* sk-error.h: the error domains of the core library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One domain per layer. Foreign errors (SQLite, libsoup, GIO) are converted at
 * the layer's boundary, and every message is a sentence a shop owner can act
 * on: what happened, then what to do.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SK_CORE_ERROR  (sk_core_error_quark ())
#define SK_STORE_ERROR (sk_store_error_quark ())
#define SK_SYNC_ERROR  (sk_sync_error_quark ())

typedef enum {
  SK_CORE_ERROR_INVALID_MONEY,     /* an amount that is not an exact decimal */
  SK_CORE_ERROR_INVALID_CURRENCY,  /* not an ISO 4217 code */
  SK_CORE_ERROR_INVALID_TIME,      /* not an ISO 8601 timestamp */
  SK_CORE_ERROR_INVALID_PAYLOAD,   /* a payload missing fields or with wrong types */
} SkCoreError;

typedef enum {
  SK_STORE_ERROR_OPEN,       /* the file cannot be opened or is not a database */
  SK_STORE_ERROR_MIGRATION,  /* the schema could not be brought up to date */
  SK_STORE_ERROR_TOO_NEW,    /* written by a newer Storekeep */
  SK_STORE_ERROR_BUSY,       /* locked by another program */
  SK_STORE_ERROR_FULL,       /* the disk is full */
  SK_STORE_ERROR_IO,         /* a read or write failed */
  SK_STORE_ERROR_CORRUPT,
  SK_STORE_ERROR_READONLY,
  SK_STORE_ERROR_CONSTRAINT,
  SK_STORE_ERROR_NOT_FOUND,
  SK_STORE_ERROR_CLOSED,     /* the store is shutting down */
  SK_STORE_ERROR_FAILED,
} SkStoreError;

typedef enum {
  SK_SYNC_ERROR_NETWORK,        /* cannot connect: no network, DNS, refused */
  SK_SYNC_ERROR_TIMEOUT,
  SK_SYNC_ERROR_TLS,            /* the certificate was not trusted */
  SK_SYNC_ERROR_AUTH,           /* 401: the token/key was refused */
  SK_SYNC_ERROR_FORBIDDEN,      /* 403: a permission (scope) is missing */
  SK_SYNC_ERROR_NOT_FOUND,      /* 404: wrong shop address or API version */
  SK_SYNC_ERROR_RATE_LIMITED,   /* 429 after every retry */
  SK_SYNC_ERROR_SERVER,         /* 5xx after every retry */
  SK_SYNC_ERROR_REFUSED,        /* another 4xx; message carries the channel's words */
  SK_SYNC_ERROR_BAD_RESPONSE,   /* not JSON, truncated, or not the expected shape */
  SK_SYNC_ERROR_INSECURE_URL,   /* plain http:// to a non-loopback host */
  SK_SYNC_ERROR_INVALID_URL,
  SK_SYNC_ERROR_NO_CREDENTIALS, /* the secret is not in the keyring */
  SK_SYNC_ERROR_PAUSED,
} SkSyncError;

GQuark sk_core_error_quark  (void);
GQuark sk_store_error_quark (void);
GQuark sk_sync_error_quark  (void);

G_END_DECLS
