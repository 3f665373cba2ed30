with

source as (

    select * from {{ source('raw_stames', 'status_changes') }}

),

renamed as (

    select
        ----------  ids
        id as status_change_id,
        ticket_id,
        changed_by__id as changed_by_id,

        ----------  strings
        from_status,
        to_status,
        from_category,
        to_category,
        changed_by__type as changed_by_type,
        via,

        ----------  timestamps (text as sent, see stg_stames__messages)
        changed_at as changed_at_text

    from source

)

select * from renamed
