"""What vulture (dead-code finder, `make test`) reports that is not dead, and why: each name is used by
something vulture cannot see. Config: [tool.vulture] in pyproject.toml (views, CLI commands, hooks and jobs
registered by decorators are skipped there). A new report is either removed or added here with its reason.
"""

# ruff: noqa
# fmt: off

# Read by templates, JSON output or Jinja (dataclass fields and properties).
projected; _.basis; _.not_finished; sampled; hand_coded; reached; model_answers; unknown_codes  # analysis dataclasses
negated_mentions; before_respondents; before_share; after_respondents; after_share; neutral; uncapped
_.source_text; missing_topics; comparable; _.calibrated; _.outage_page; _.staff_expired

# Table columns (SQLModel fields) and the rows that set them: kept for the record and for audits.
STATUSES; excluded_by; received_on; keyed_at; verified_by; published_by; written_by; written_at
password_changed_at; coded_at; decided_at; _.verified_by; _.password_changed_at; _.coded_at; _.decided_at

# Questionnaire builder and form fields (WTForms reads fields and calls process_/pre_validate/validate_<field>).
consent_label; postcode; hours; input_type; _.process_errors; _.object_data; _.pre_validate; _.process_formdata
_.validate_received; _.validate_as_of

# Frameworks' hooks and settings: Flask (jinja options, session interface), click (lazy group), gunicorn
# (module-level settings), openpyxl (cell and sheet attributes), scikit-learn (fitted attributes), huey
# (task registration), wordcloud (layout tuples), Python functions' names set on a wrapper.
_.jinja_loader; _.trim_blocks; _.lstrip_blocks; _.session_interface; _.open_session; _.permanent
_.get_command; _.format_commands
bind; workers; worker_class; threads; accesslog; access_log_format; errorlog; loglevel; forwarded_allow_ips
graceful_timeout
_.alignment; _.freeze_panes; _.classes_; _.n_features_in_; _.warm_start
run_coding_progress; run_partner_report; run_report; run_export; run_retention; run_suggestions
font_size; orientation; _.__module__; _.__qualname__

# Words marked for translation (N_), documentation constants and the colour palette's unused members.
UNIVERSES; CAVEATS; ENTROPY_BITS; MODEL_ORIGIN; GREEN; PURPLE; YELLOW; PRIMARY; SECONDARY

# Public functions of analysis and the store used by reports' callers, benchmarks and tests.
release_point; estimate_questions; breakdown; _.as_row; close_queue; dispose_engine; schema_differences

# Test oracles: the reference each fast path is checked against.
nltk_tokenise; content_terms; changed_words; translate_plural
