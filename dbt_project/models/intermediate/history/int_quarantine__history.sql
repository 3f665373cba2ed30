select
    'status_change' as object,
    status_change_id::string as stames_id,
    quarantine_reason as reason,
    quarantine_detail as detail
from {{ ref('int_status_changes_sequenced') }}
where disposition = 'quarantined'
