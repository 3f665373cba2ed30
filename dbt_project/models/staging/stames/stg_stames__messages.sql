with

source as (

    select * from {{ source('raw_stames', 'messages') }}

),

renamed as (

    select
        ----------  ids
        id as message_id,
        ticket_id,
        author__id as author_id,
        channel__inbox_id as channel_inbox_id,
        external_id,

        ----------  strings
        author__type as author_type,
        author__name as author_name,
        direction,
        channel__type as channel_type,
        delivery_status,
        body_text,
        body_html,

        ----------  numerics
        body_size_bytes,

        ----------  booleans
        is_private,
        body_truncated,

        ----------  timestamps (text as sent: UTC with `Z`, or legacy local time without offset)
        created_at as created_at_text,
        updated_at as updated_at_text

    from source

)

select * from renamed
