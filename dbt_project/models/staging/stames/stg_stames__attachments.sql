with

source as (

    select * from {{ source('raw_stames', 'messages__attachments') }}

),

renamed as (

    select
        ----------  ids
        id as attachment_id,
        message_id,
        ticket_id,
        content_id,

        ----------  strings
        file_name,
        content_type,
        sha256 as declared_sha256,
        status as source_status,

        ----------  numerics
        size as declared_size_bytes,

        ----------  booleans
        inline as is_inline

    from source

)

select * from renamed
