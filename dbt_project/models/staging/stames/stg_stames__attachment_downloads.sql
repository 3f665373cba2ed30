with

source as (

    select * from {{ source('raw_stames', 'attachment_downloads') }}

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
