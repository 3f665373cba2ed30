{#- Every attachment with its download outcome from the ledger and what becomes of it: a
    ContentVersion when the file is stored and its message's ticket is migrated, else excluded
    (with the message's rule) or quarantined (with the ledger's reason). -#}
with

attachments as (

    select * from {{ ref('stg_stames__attachments') }}

),

downloads as (

    select * from {{ ref('stg_stames__attachment_downloads') }}

),

messages as (

    select message_id, disposition, exclusion_rule from {{ ref('int_messages_routed') }}

),

excluded_cases as (

    select stames_id, rule from {{ ref('int_excluded__cases') }}

),

joined as (

    select
        attachments.*,
        downloads.download_status,
        downloads.storage_path,
        downloads.sha256,
        downloads.size_bytes,
        downloads.last_error,
        messages.disposition as message_disposition,
        coalesce(messages.exclusion_rule, excluded_cases.rule) as exclusion_rule
    from attachments
    left join downloads on downloads.attachment_id = attachments.attachment_id
    left join messages on messages.message_id = attachments.message_id
    left join excluded_cases on excluded_cases.stames_id = attachments.ticket_id::string

)

select
    *,
    case
        when exclusion_rule is not null then 'excluded'
        when message_disposition is null or message_disposition = 'quarantined' then 'quarantined'
        when download_status = 'stored' then 'ContentVersion'
        else 'quarantined'
    end as disposition,
    case
        when exclusion_rule is not null then null
        when message_disposition is null then 'orphan attachment'
        when message_disposition = 'quarantined' then 'message quarantined'
        when download_status is null then 'not downloaded'
        when download_status = 'stored' then null
        else 'file ' || download_status
    end as quarantine_reason,
    case
        when exclusion_rule is not null then null
        when message_disposition is null then
            'message ' || message_id || ' is not in the extracted messages: re-run extract'
        when message_disposition = 'quarantined' then
            'message ' || message_id || ' is quarantined; the file follows it once the message loads'
        when download_status is null then
            'no download recorded for "' || file_name || '": run extract again to fetch it'
        when download_status = 'stored' then null
        else
            '"' || file_name || '" was ' || download_status || ' by the extract step'
            || coalesce(' (' || last_error || ')', '')
            || ' (Stames status ' || coalesce(source_status, 'unknown')
            || '): ask Stames for the file or accept it as metadata only'
    end as quarantine_detail
from joined
