{# `stames-sf extract --no-attachments` writes no ledger: read it as empty, and every file is
    then quarantined as "not downloaded" downstream instead of the build failing. #}
{% set ledger = source('raw_stames', 'attachment_downloads') %}

with

source as (

    {% if relation_exists(ledger) -%}
    select * from {{ ledger }}
    {%- else -%}
    select
        null::bigint as attachment_id,
        null::bigint as message_id,
        null::bigint as ticket_id,
        null::string as status,
        null::string as storage_path,
        null::string as sha256,
        null::string as file_name,
        null::string as content_type,
        null::string as last_error,
        null::bigint as size_bytes,
        null::bigint as declared_size_bytes,
        null::bigint as attempts,
        null::timestamp as recorded_at
    where false
    {%- endif %}

),

renamed as (

    select
        ----------  ids
        attachment_id,
        message_id,
        ticket_id,

        ----------  strings
        status as download_status,
        storage_path,
        sha256,
        file_name,
        content_type,
        last_error,

        ----------  numerics
        size_bytes,
        declared_size_bytes,
        attempts,

        ----------  timestamps
        recorded_at

    from source

)

select * from renamed
