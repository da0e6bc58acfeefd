variable "project_id" {
  description = "The Google Cloud project to deploy into (its ID, not its name or number)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a project ID: 6 to 30 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "region" {
  description = "Region of the functions, the bucket, the secrets' replicas and (by default) Firestore, e.g. europe-west9 (Paris)."
  type        = string
  default     = "europe-west9"

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]{1,2}$", var.region))
    error_message = "region must be a Google Cloud region such as europe-west9 or europe-west1."
  }
}

variable "name" {
  description = "Prefix of every named resource (functions, service accounts, bucket, metrics, Firestore database)."
  type        = string
  default     = "forms-to-ogust"

  validation {
    # The longest derived names are "<name>-receiver" and "<name>-reconciler": the first as a service
    # account ID (30 characters at most), the second as a function name (63 at most).
    condition     = can(regex("^[a-z][a-z0-9-]{2,19}[a-z0-9]$", var.name))
    error_message = "name must be 4 to 21 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "topic_prefix" {
  description = "Name of the submissions topic; the dead-letter topic is \"<topic_prefix>-dead-letter\", the Forms watch topic \"<topic_prefix>-forms-watch\"."
  type        = string
  default     = "form-submissions"

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9._~+%-]{2,200}$", var.topic_prefix)) && !startswith(var.topic_prefix, "goog")
    error_message = "topic_prefix must be a valid Pub/Sub topic name: 3 to 201 characters, starting with a letter, not with \"goog\"."
  }
}

variable "artifact_path" {
  description = "The deploy artifact built by scripts/build_artifact.py (`make artifact`); its SHA-256 names the uploaded object, so a code or mapping change redeploys."
  type        = string
  default     = "build/function.zip"

  validation {
    condition     = fileexists(var.artifact_path)
    error_message = "The artifact does not exist: build it first with `make artifact MAPPING=…` (or `make deploy MAPPING=…`), which validates the mapping."
  }
}

variable "ogust_api_url" {
  description = "The Ogust API endpoint the worker calls."
  type        = string
  default     = "https://api.ogust.com/api/v2/apiogust.php"

  validation {
    condition     = startswith(var.ogust_api_url, "https://")
    error_message = "ogust_api_url must be an https:// URL."
  }
}

variable "ogust_body_encoding" {
  description = "How requests to Ogust are encoded: json, or form (PHP-style). Empty: json. See `forms-to-ogust doctor`."
  type        = string
  default     = ""

  validation {
    condition     = contains(["", "json", "form"], var.ogust_body_encoding)
    error_message = "ogust_body_encoding must be json, form or empty."
  }
}

variable "ogust_token_timezone" {
  description = "The clock of getToken's time: Europe/Paris or UTC. Empty: Europe/Paris."
  type        = string
  default     = ""

  validation {
    condition     = contains(["", "Europe/Paris", "UTC"], var.ogust_token_timezone)
    error_message = "ogust_token_timezone must be Europe/Paris, UTC or empty."
  }
}

variable "ogust_page_size" {
  description = "Customers asked per search page (1-1000), e.g. the cap the doctor found. Empty: 100."
  type        = string
  default     = ""

  validation {
    condition     = var.ogust_page_size == "" || can(regex("^[1-9][0-9]{0,3}$", var.ogust_page_size))
    error_message = "ogust_page_size must be a whole number from 1 to 1000, or empty."
  }
}

variable "ogust_token_error_pattern" {
  description = "Regular expression of Ogust's 'token refused' answer, as the doctor recommends. Empty: the built-in one."
  type        = string
  default     = ""
}

variable "ogust_search_status" {
  description = "Status sent with every customer search (A), or empty to send none."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^[A-Z]{0,3}$", var.ogust_search_status))
    error_message = "ogust_search_status must be a status code such as A, or empty."
  }
}

variable "ogust_ignored_filters" {
  description = "Search filters the Ogust account ignores, comma-separated (forms-to-ogust doctor's lookup-filters): the worker refuses to start with a lookup key among them unless ogust_accept_full_scan is \"true\"."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^([A-Za-z_][A-Za-z0-9_]*)?(,[A-Za-z_][A-Za-z0-9_]*)*$", var.ogust_ignored_filters))
    error_message = "ogust_ignored_filters must be Ogust field names separated by commas, or empty."
  }
}

variable "ogust_accept_full_scan" {
  description = "\"true\" accepts that a lookup by an ignored search filter reads every customer (OGUST_ACCEPT_FULL_SCAN)."
  type        = string
  default     = "false"

  validation {
    condition     = contains(["true", "false"], var.ogust_accept_full_scan)
    error_message = "ogust_accept_full_scan must be \"true\" or \"false\"."
  }
}

variable "ogust_text_escaping" {
  description = "How the Ogust account stores text: \"html\" when forms-to-ogust doctor's text-storage check sees ' stored as &#039; (read back unescaped), else \"none\"."
  type        = string
  default     = "none"

  validation {
    condition     = contains(["none", "html"], var.ogust_text_escaping)
    error_message = "ogust_text_escaping must be \"none\" or \"html\"."
  }
}

variable "doctor_invokers" {
  description = "Who may run `forms-to-ogust doctor --cloud` (roles/run.invoker on the doctor function), e.g. [\"user:alice@agence.fr\"]. None by default."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for m in var.doctor_invokers : can(regex("^(user|group|serviceAccount|domain):", m))])
    error_message = "doctor_invokers must be user:, group:, serviceAccount: or domain: members (never allUsers)."
  }
}

variable "ogust_keys_secret_id" {
  description = "Secret Manager secret holding the Ogust key pair as JSON {\"public_key\": …, \"private_key\": …}."
  type        = string
  default     = "ogust-keys"

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,255}$", var.ogust_keys_secret_id))
    error_message = "ogust_keys_secret_id must be 1 to 255 letters, digits, hyphens or underscores."
  }
}

variable "webhook_secret_id" {
  description = "Secret Manager secret holding the whsec_… webhook secret shared with the Apps Script."
  type        = string
  default     = "webhook-secret"

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,255}$", var.webhook_secret_id))
    error_message = "webhook_secret_id must be 1 to 255 letters, digits, hyphens or underscores."
  }
}

variable "generate_webhook_secret" {
  description = "Generate the first webhook secret version with Terraform (write-only: never stored in the state). Set false to add it yourself with `gcloud secrets versions add`."
  type        = bool
  default     = true
}

variable "receiver_public_access" {
  description = "How the receiver is made public: \"allUsers\" (a run.invoker grant to allUsers) or \"no-invoker-iam-check\" (no grant; `make deploy` turns Cloud Run's invoker check off instead), for organisations whose Domain Restricted Sharing policy forbids allUsers."
  type        = string
  default     = "allUsers"

  validation {
    condition     = contains(["allUsers", "no-invoker-iam-check"], var.receiver_public_access)
    error_message = "receiver_public_access must be \"allUsers\" or \"no-invoker-iam-check\"."
  }
}

variable "firestore_database" {
  description = "ID of the Firestore (native mode) database holding the worker's idempotency ledger."
  type        = string
  default     = "forms-to-ogust-ledger"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,61}[a-z0-9]$", var.firestore_database))
    error_message = "firestore_database must be 4 to 63 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "firestore_location" {
  description = "Location of the Firestore database (a region such as europe-west9, or a multi-region such as eur3); null means var.region. It cannot change once created."
  type        = string
  default     = null
}

variable "receiver_max_instances" {
  description = "Maximum instances of the receiver (it only verifies and queues, so a few absorb any burst)."
  type        = number
  default     = 3

  validation {
    condition     = var.receiver_max_instances >= 1 && var.receiver_max_instances <= 20 && floor(var.receiver_max_instances) == var.receiver_max_instances
    error_message = "receiver_max_instances must be a whole number from 1 to 20."
  }
}

variable "worker_max_instances" {
  description = "Maximum instances of the worker: the number of Ogust calls in flight at once (protects Ogust's rate limits)."
  type        = number
  default     = 2

  validation {
    condition     = var.worker_max_instances >= 1 && var.worker_max_instances <= 10 && floor(var.worker_max_instances) == var.worker_max_instances
    error_message = "worker_max_instances must be a whole number from 1 to 10."
  }
}

variable "worker_timeout_seconds" {
  description = "Timeout of one worker run; the push subscription's ack deadline is at least this."
  type        = number
  default     = 60

  validation {
    # 600 s is Pub/Sub's longest ack deadline.
    condition     = var.worker_timeout_seconds >= 10 && var.worker_timeout_seconds <= 600 && floor(var.worker_timeout_seconds) == var.worker_timeout_seconds
    error_message = "worker_timeout_seconds must be a whole number from 10 to 600."
  }
}

variable "lease_seconds" {
  description = "How long a person's lease outlives a worker that stopped renewing it (LEASE_SECONDS). The worker refuses to start when it is shorter than the longest a delivery of the mapping can take: Ogust calls × (OGUST_TIMEOUT_SECONDS × 3 attempts + 0.6 s), 245 s for examples/quote-request.yaml. Never less than worker_timeout_seconds + 60."
  type        = number
  default     = 300

  validation {
    condition     = var.lease_seconds >= 60 && var.lease_seconds <= 3600 && floor(var.lease_seconds) == var.lease_seconds
    error_message = "lease_seconds must be a whole number from 60 to 3600."
  }
}

variable "reconciler_timeout_seconds" {
  description = "Timeout of one reconciliation run (every reconciled form read since its watermark); also the ack deadline of the Forms watch push and the scheduler's attempt deadline."
  type        = number
  default     = 180

  validation {
    # 30 s to 600 s: Cloud Scheduler's shortest HTTP attempt deadline is 15 s, Pub/Sub's longest ack deadline 600 s.
    condition     = var.reconciler_timeout_seconds >= 30 && var.reconciler_timeout_seconds <= 600 && floor(var.reconciler_timeout_seconds) == var.reconciler_timeout_seconds
    error_message = "reconciler_timeout_seconds must be a whole number from 30 to 600."
  }
}

variable "reconcile_schedule" {
  description = "When Cloud Scheduler runs the reconciler (cron syntax, Europe/Paris time); it also creates and renews the Forms watches then."
  type        = string
  default     = "*/5 * * * *"

  validation {
    condition     = length(split(" ", trimspace(var.reconcile_schedule))) == 5
    error_message = "reconcile_schedule must be a cron expression of five fields, e.g. \"*/5 * * * *\"."
  }
}

variable "scheduler_region" {
  description = "Region of the Cloud Scheduler job; null means var.region. Set it only if Cloud Scheduler is not offered in var.region."
  type        = string
  default     = null
}

variable "max_delivery_attempts" {
  description = "Deliveries of one submission to the worker before Pub/Sub moves it to the dead letters."
  type        = number
  default     = 10

  validation {
    condition     = var.max_delivery_attempts >= 5 && var.max_delivery_attempts <= 100 && floor(var.max_delivery_attempts) == var.max_delivery_attempts
    error_message = "max_delivery_attempts must be a whole number from 5 to 100 (Pub/Sub's limits)."
  }
}

variable "alert_emails" {
  description = "The operator's (consultant's) addresses, for the technical alerts in English (dead letters waiting, repeated failures, reconciliation, silence). The agency's own notices go to agency_email."
  type        = list(string)

  validation {
    condition     = length(var.alert_emails) > 0 && alltrue([for e in var.alert_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "alert_emails must hold at least one valid e-mail address."
  }
}

variable "agency_email" {
  description = "The agency's address (the office staff's shared mailbox): one e-mail in French per answer Ogust did not receive, with the link to its row in the \"Suivi Ogust\" tab. `make deploy` asks for it when terraform.tfvars lacks it."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s,;]+@[^@\\s,;]+\\.[^@\\s,;]+$", var.agency_email))
    error_message = "agency_email must be one e-mail address, such as accueil@mon-agence.fr (not a list)."
  }
}

variable "failure_alert_threshold" {
  description = "Alert when more than this many submission failures are logged within 15 minutes."
  type        = number
  default     = 3

  validation {
    condition     = var.failure_alert_threshold >= 0 && floor(var.failure_alert_threshold) == var.failure_alert_threshold
    error_message = "failure_alert_threshold must be a whole number, 0 or more."
  }
}

variable "reconcile_failure_alert_threshold" {
  description = "Alert when more than this many reconciliation runs fail within 30 minutes (a scheduled run every 5 minutes makes 6)."
  type        = number
  default     = 2

  validation {
    condition     = var.reconcile_failure_alert_threshold >= 0 && floor(var.reconcile_failure_alert_threshold) == var.reconcile_failure_alert_threshold
    error_message = "reconcile_failure_alert_threshold must be a whole number, 0 or more."
  }
}

variable "idle_alert_days" {
  description = "Alert when no submission has been processed for this many days (the form is expected to be used at least this often), counting from the first deploy; null disables the alert."
  type        = number
  default     = 14

  validation {
    condition     = var.idle_alert_days == null ? true : (var.idle_alert_days >= 1 && var.idle_alert_days <= 90 && floor(var.idle_alert_days) == var.idle_alert_days)
    error_message = "idle_alert_days must be null or a whole number of days from 1 to 90."
  }
}

variable "labels" {
  description = "Labels added to the resources that take labels."
  type        = map(string)
  default     = {}
}
